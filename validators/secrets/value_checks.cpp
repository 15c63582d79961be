#include "validators/secrets/value_checks.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

namespace pushgate::secrets {

namespace {

bool icontains(std::string_view text, std::string_view word) {
  return std::search(text.begin(), text.end(), word.begin(), word.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         }) != text.end();
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool all_hex(std::string_view s) { return std::all_of(s.begin(), s.end(), is_hex); }

// 8-4-4-4-12 hex digits.
bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

// A git object id or a SHA-256, bare or as `sha256:...` (image digests).
bool is_digest(std::string_view s) {
  if (auto colon = s.find(':'); colon != std::string_view::npos && s.substr(0, 3) == "sha") s = s.substr(colon + 1);
  return (s.size() == 40 || s.size() == 64 || s.size() == 128) && all_hex(s);
}

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `settings.db.password`, `Config::Token`: code that names the value.
bool is_dotted_name(std::string_view s) {
  bool dotted = false;
  bool start = true;
  for (char c : s) {
    if (c == '.' || c == ':') {
      if (start) return false;
      dotted = start = true;
    } else if (is_ident_char(c) && !(start && std::isdigit(static_cast<unsigned char>(c)))) {
      start = false;
    } else {
      return false;
    }
  }
  return dotted && !start;
}

int char_classes(std::string_view s) {
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : s) {
    lower |= std::islower(c) != 0;
    upper |= std::isupper(c) != 0;
    digit |= std::isdigit(c) != 0;
    other |= !std::isalnum(c);
  }
  return lower + upper + digit + other;
}

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-' || c == '+') return 62;
  if (c == '_' || c == '/') return 63;
  return -1;
}

std::optional<std::string> base64url_decode(std::string_view in) {
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : in) {
    int v = base64url_value(c);
    if (v < 0) return std::nullopt;
    bits = bits << 6 | static_cast<std::uint32_t>(v);
    if ((count += 6) >= 8) {
      count -= 8;
      out.push_back(static_cast<char>(bits >> count & 0xff));
    }
  }
  return out;
}

bool is_base64_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='; }

}  // namespace

double shannon_entropy(std::string_view value) {
  if (value.empty()) return 0;
  std::array<std::size_t, 256> counts{};
  for (unsigned char c : value) ++counts[c];
  double bits = 0;
  for (std::size_t n : counts) {
    if (n == 0) continue;
    double p = static_cast<double>(n) / static_cast<double>(value.size());
    bits -= p * std::log2(p);
  }
  return bits;
}

bool is_placeholder(std::string_view value) {
  static constexpr std::string_view k_words[] = {"changeme", "change_me", "change-me", "example", "placeholder",
                                                 "dummy",    "redacted",  "sample",    "your_",   "your-",
                                                 "xxxx",     "****",      "....",      "todo",    "fixme",
                                                 "insert",   "replace",   "enc["};
  for (std::string_view w : k_words)
    if (icontains(value, w)) return true;
  // Templates and variables: ${VAR}, $VAR, {{ .Values.x }}, <password>, %(x)s.
  static constexpr std::string_view k_starts = "$<{%&*!@";
  if (!value.empty() && k_starts.find(value.front()) != std::string_view::npos) return true;
  // One character repeated, as in aaaaaaaa.
  return !value.empty() && value.find_first_not_of(value.front()) == std::string_view::npos;
}

bool is_generic_secret(std::string_view value) {
  if (is_placeholder(value)) return false;
  if (value.find_first_of("()[]{}") != std::string_view::npos) return false;  // an expression
  if (value.find("://") != std::string_view::npos) return false;                  // a URL
  if (value.front() == '/' || value.starts_with("./") || value.starts_with("~/")) return false;  // a path
  if (is_uuid(value) || is_digest(value) || is_dotted_name(value)) return false;
  return char_classes(value) >= 2 && shannon_entropy(value) >= k_min_entropy;
}

bool is_jwt(std::string_view token) {
  auto header = base64url_decode(token.substr(0, token.find('.')));
  if (!header) return false;
  auto json = nlohmann::json::parse(*header, nullptr, false);
  return json.is_object() && json.contains("alg");
}

std::optional<std::string> pem_body(std::string_view text, std::size_t after_label) {
  constexpr std::size_t k_max_body = 64 << 10;
  std::string_view rest = text.substr(after_label, k_max_body);
  rest = rest.substr(0, rest.find("-----END"));
  std::string body;
  std::size_t run = 0, longest = 0;
  for (char c : rest) {
    if (is_base64_char(c)) {
      body.push_back(c);
      longest = std::max(longest, ++run);
    } else {
      run = 0;
      // Header lines (Proc-Type: 4,ENCRYPTED) are part of the block.
      if (!std::isspace(static_cast<unsigned char>(c))) body.push_back(c);
    }
  }
  if (longest < 32) return std::nullopt;
  return body;
}

}  // namespace pushgate::secrets
