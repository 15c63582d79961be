#include "validators/commits/allowed_signers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/util/base64.hpp"

namespace pushgate {

namespace {

// Splits a line into fields at blanks outside double quotes.
std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == line.size()) break;
    std::size_t start = i;
    bool quoted = false;
    for (; i < line.size() && (quoted || (line[i] != ' ' && line[i] != '\t')); ++i)
      if (line[i] == '"') quoted = !quoted;
    out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool is_key_type(std::string_view word) {
  return word.starts_with("ssh-") || word.starts_with("ecdsa-sha2-") || word.starts_with("sk-ssh-") ||
         word.starts_with("sk-ecdsa-") || word.starts_with("rsa-sha2-");
}

// `name="value"` or `name`, options separated by commas outside quotes.
std::vector<std::pair<std::string, std::string>> options(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string name, value;
  bool in_value = false, quoted = false;
  auto flush = [&] {
    if (!name.empty()) out.emplace_back(name, value);
    name.clear();
    value.clear();
    in_value = false;
  };
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) flush();
    else if (c == '=' && !in_value) in_value = true;
    else (in_value ? value : name) += c;
  }
  flush();
  return out;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = std::min(text.find(',', begin), text.size());
    if (end > begin) out.emplace_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

}  // namespace

std::optional<std::time_t> parse_signer_time(std::string_view text) {
  bool utc = text.ends_with('Z') || text.ends_with('z');
  if (utc) text.remove_suffix(1);
  if (text.size() != 8 && text.size() != 12 && text.size() != 14) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return std::nullopt;
  auto number = [&](std::size_t at, std::size_t n) {
    return at + n <= text.size() ? std::stoi(std::string(text.substr(at, n))) : 0;
  };
  std::tm tm{};
  tm.tm_year = number(0, 4) - 1900;
  tm.tm_mon = number(4, 2) - 1;
  tm.tm_mday = number(6, 2);
  tm.tm_hour = number(8, 2);
  tm.tm_min = number(10, 2);
  tm.tm_sec = number(12, 2);
  tm.tm_isdst = -1;
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return std::nullopt;
  return utc ? ::timegm(&tm) : std::mktime(&tm);
}

std::string AllowedSigner::principal() const { return principals.substr(0, principals.find(',')); }

bool AllowedSigner::allows_namespace(std::string_view name_space) const {
  return namespaces.empty() || std::find(namespaces.begin(), namespaces.end(), name_space) != namespaces.end();
}

Expected<AllowedSigners> AllowedSigners::parse(std::string_view text, const std::string& path) {
  AllowedSigners out;
  out.m_path = path;
  int number = 0;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = std::min(text.find('\n', begin), text.size());
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    ++number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    auto f = fields(line);
    if (f.empty() || f[0].starts_with('#')) continue;
    auto bad = [&](std::string_view why) {
      return Error{ErrorCode::config, fmt::format("{}:{}: {}; a line is `principals [options] keytype base64-key`, "
                                                  "e.g. alice@example.com ssh-ed25519 AAAA...",
                                                  path, number, why)};
    };
    AllowedSigner signer;
    signer.line = number;
    signer.principals = std::string(f[0]);
    std::size_t type_at = 1;
    if (f.size() > 1 && !is_key_type(f[1])) {
      type_at = 2;
      for (const auto& [name, value] : options(f[1])) {
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lower == "cert-authority") {
          signer.cert_authority = true;
        } else if (lower == "namespaces") {
          signer.namespaces = split_commas(value);
        } else if (lower == "valid-after" || lower == "valid-before") {
          auto when = parse_signer_time(value);
          if (!when) return bad(fmt::format("{}=\"{}\" is not a time (YYYYMMDD[HHMM[SS]][Z])", name, value));
          (lower == "valid-after" ? signer.valid_after : signer.valid_before) = *when;
        } else {
          return bad(fmt::format("'{}' is no option of an allowed-signers line", name));
        }
      }
    }
    if (f.size() < type_at + 2) return bad("the key is missing");
    auto key = decode_base64(f[type_at + 1]);
    if (!key) return bad("the key is not base64");
    signer.key = std::move(*key);
    out.m_signers.push_back(std::move(signer));
  }
  return out;
}

std::vector<const AllowedSigner*> AllowedSigners::find(std::string_view key, bool authority) const {
  std::vector<const AllowedSigner*> out;
  for (const AllowedSigner& s : m_signers)
    if (s.cert_authority == authority && s.key == key) out.push_back(&s);
  return out;
}

}  // namespace pushgate
