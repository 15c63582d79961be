#include "validators/k8s/k8s_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace pushgate {

namespace {

// Character classes, one bit each, looked up in one table: every label and
// annotation key of every object is checked a character at a time.
enum CharClass : std::uint8_t {
  c_lower_alnum = 1,  // a-z 0-9
  c_alnum = 2,        // A-Z a-z 0-9
  c_label = 4,        // a-z 0-9 -
  c_name_part = 8,    // A-Z a-z 0-9 - _ .
};

constexpr std::array<std::uint8_t, 256> k_classes = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    bool lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    std::uint8_t bits = 0;
    if (lower || digit) bits |= c_lower_alnum | c_label;
    if (lower || upper || digit) bits |= c_alnum | c_name_part;
    if (c == '-') bits |= c_label | c_name_part;
    if (c == '_' || c == '.') bits |= c_name_part;
    table[static_cast<std::size_t>(c)] = bits;
  }
  return table;
}();

bool is(char c, CharClass cls) { return (k_classes[static_cast<unsigned char>(c)] & cls) != 0; }
bool is_lower_alnum(char c) { return is(c, c_lower_alnum); }
bool is_alnum(char c) { return is(c, c_alnum); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

NameProblem too_long(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::nullopt;
  return fmt::format("is {} characters long: at most {} are allowed", text.size(), max);
}

bool is_label_syntax(std::string_view text) {
  return !text.empty() && is_lower_alnum(text.front()) && is_lower_alnum(text.back()) &&
         std::all_of(text.begin(), text.end(), [](char c) { return is(c, c_label); });
}

bool is_subdomain_syntax(std::string_view text) {
  for (std::size_t start = 0;;) {
    std::size_t dot = text.find('.', start);
    if (!is_label_syntax(text.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?
bool is_name_part_syntax(std::string_view text) {
  return !text.empty() && is_alnum(text.front()) && is_alnum(text.back()) &&
         std::all_of(text.begin(), text.end(), [](char c) { return is(c, c_name_part); });
}

// v1, v1beta1, v2alpha3: no leading zeros, alpha/beta need a number.
bool is_version_syntax(std::string_view text) {
  if (text.size() < 2 || text[0] != 'v' || text[1] < '1' || text[1] > '9') return false;
  std::size_t i = 2;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == text.size()) return true;
  std::string_view rest = text.substr(i);
  std::string_view stage = rest.starts_with("alpha") ? "alpha" : rest.starts_with("beta") ? "beta" : "";
  if (stage.empty()) return false;
  rest.remove_prefix(stage.size());
  return !rest.empty() && rest[0] != '0' && std::all_of(rest.begin(), rest.end(), is_digit);
}

constexpr const char* k_label_rule =
    "must consist of lower-case letters, digits and '-', and start and end with a letter or digit "
    "(e.g. 'my-name')";
constexpr const char* k_name_part_rule =
    "must consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit "
    "(e.g. 'MyValue', 'my_value', '12345')";

}  // namespace

NameProblem check_dns1123_label(std::string_view text) {
  if (auto p = too_long(text, 63)) return p;
  if (!is_label_syntax(text)) return std::string(k_label_rule);
  return std::nullopt;
}

NameProblem check_dns1035_label(std::string_view text) {
  if (auto p = too_long(text, 63)) return p;
  if (!is_label_syntax(text) || is_digit(text.front()))
    return "must consist of lower-case letters, digits and '-', start with a letter and end with a "
           "letter or digit (e.g. 'my-name')";
  return std::nullopt;
}

NameProblem check_dns1123_subdomain(std::string_view text) {
  if (auto p = too_long(text, 253)) return p;
  if (!is_subdomain_syntax(text))
    return "must consist of lower-case letters, digits, '-' and '.', and start and end with a "
           "letter or digit (e.g. 'web' or 'web.v2')";
  return std::nullopt;
}

NameProblem check_path_segment(std::string_view text) {
  if (text.empty() || text == "." || text == "..") return "may not be empty, '.' or '..'";
  if (text.find_first_of("/%") != std::string_view::npos) return "may not contain '/' or '%'";
  return std::nullopt;
}

NameProblem check_qualified_name(std::string_view text) {
  std::string_view name = text;
  std::size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    std::string_view prefix = text.substr(0, slash);
    name = text.substr(slash + 1);
    if (prefix.empty()) return "has an empty prefix before '/'";
    if (auto p = check_dns1123_subdomain(prefix))
      return fmt::format("has a prefix '{}' that {}", prefix, *p);
  }
  if (name.empty()) return "has no name (the part after '/' must not be empty)";
  if (name.size() > 63)
    return fmt::format("has a name part of {} characters: at most 63 are allowed", name.size());
  if (!is_name_part_syntax(name)) {
    return slash == std::string_view::npos
               ? fmt::format("{}, with an optional DNS subdomain prefix and '/' (e.g. "
                             "'example.com/MyName')",
                             k_name_part_rule)
               : fmt::format("has a name part '{}' that {}", name, k_name_part_rule);
  }
  return std::nullopt;
}

NameProblem check_label_value(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (auto p = too_long(text, 63)) return p;
  if (!is_name_part_syntax(text)) return std::string(k_name_part_rule);
  return std::nullopt;
}

NameProblem check_api_version(std::string_view text) {
  constexpr const char* k_shape = "expected v1 or group/version such as apps/v1";
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    if (is_version_syntax(text)) return std::nullopt;
    return fmt::format("is not an API version: {}", k_shape);
  }
  std::string_view group = text.substr(0, slash);
  std::string_view version = text.substr(slash + 1);
  if (version.find('/') != std::string_view::npos)
    return fmt::format("has more than one '/': {}", k_shape);
  if (auto p = check_dns1123_subdomain(group))
    return fmt::format("has an API group '{}' that {}", group, *p);
  if (!is_version_syntax(version))
    return fmt::format("has a version '{}' that is not like v1, v1beta1 or v2alpha3", version);
  return std::nullopt;
}

NameProblem check_kind(std::string_view text) {
  bool ok = !text.empty() && text.front() >= 'A' && text.front() <= 'Z' &&
            std::all_of(text.begin(), text.end(), is_alnum);
  if (ok) return std::nullopt;
  return "must be letters and digits in upper camel case, such as Deployment or ConfigMap";
}

}  // namespace pushgate
