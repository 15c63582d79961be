#include "validators/secrets/secret_allowlist.hpp"

#include <fmt/format.h>

#include <cctype>

#include "validators/secrets/secret_fingerprint.hpp"

namespace pushgate::secrets {

namespace {

bool is_fingerprint(std::string_view word) {
  if (word.size() != k_fingerprint_digits) return false;
  for (char c : word)
    if (!std::isdigit(static_cast<unsigned char>(c)) && (c < 'a' || c > 'f')) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  std::size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string_view::npos) return {};
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

}  // namespace

Expected<Allowlist> Allowlist::parse(std::string_view text, const std::string& file) {
  Allowlist list;
  list.m_file = file;
  std::string problems;
  int number = 0;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++number;
    std::string_view word = trim(line.substr(0, line.find('#')));
    if (word.empty()) continue;
    if (is_fingerprint(word)) {
      list.m_fingerprints.emplace(word);
      continue;
    }
    problems += fmt::format("{}{}:{}: error: [config] '{}' is no fingerprint: give the {} lower-case hex digits "
                            "that a secrets finding prints, then an optional # comment",
                            problems.empty() ? "" : "\n", file, number, word, k_fingerprint_digits);
  }
  if (!problems.empty()) return Error{ErrorCode::config, problems};
  return list;
}

Expected<Allowlist> Allowlist::load(const std::filesystem::path& file, TrustedOwners owners) {
  auto read = read_trusted_file(file, owners);
  if (!read) return read.error();
  if (read->missing)
    return Error{ErrorCode::config,
                 fmt::format("the secrets allow-list '{}' (validate.secrets.allowlist) does not exist", file.string())};
  return parse(read->text, file.string());
}

Expected<std::optional<Allowlist>> load_allowlist(const SecretScanSettings& settings, TrustedOwners owners) {
  if (settings.allowlist.empty()) return std::optional<Allowlist>();
  auto list = Allowlist::load(settings.allowlist, owners);
  if (!list) {
    return Error{ErrorCode::config, fmt::format("{}: error: [config] validate.secrets.allowlist cannot be used:\n{}",
                                                format_location(settings.allowlist_at), list.error().message)};
  }
  return std::optional<Allowlist>(std::move(*list));
}

}  // namespace pushgate::secrets
