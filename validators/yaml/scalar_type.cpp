#include "validators/yaml/scalar_type.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <string>

namespace pushgate {

namespace {

constexpr std::array<std::string_view, 22> k_booleans = {
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true",
    "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"};
constexpr std::array<std::string_view, 5> k_nulls = {"", "~", "null", "Null", "NULL"};
// The longest of the words above: longer text is neither, without a search.
constexpr std::size_t k_longest_word = 5;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_of_digits(std::string_view s, std::string_view alphabet) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return alphabet.find(c) != std::string_view::npos;
  });
}

bool equals_folded(std::string_view a, std::string_view lower) {
  return a.size() == lower.size() &&
         std::equal(a.begin(), a.end(), lower.begin(), [](char x, char y) { return (x | 0x20) == y; });
}

// A decimal number as Go's strconv parses it: digits with an optional
// fraction and exponent, or a fraction alone (".5").
bool is_decimal(std::string_view s) {
  std::size_t i = 0, digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exponent = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == exponent) return false;
  }
  return i == s.size();
}

// Kubernetes' YAML reader tries numbers only for text that starts with a
// digit, a sign or a dot, after dropping '_' separators.
bool is_number(std::string_view text) {
  if (text.empty() || !(is_digit(text[0]) || text[0] == '+' || text[0] == '-' || text[0] == '.'))
    return false;
  // Most numbers have no separator: only those are copied without them.
  std::string without_separators;
  std::string_view v = text;
  if (text.find('_') != std::string_view::npos) {
    std::copy_if(text.begin(), text.end(), std::back_inserter(without_separators), [](char c) { return c != '_'; });
    v = without_separators;
  }
  if (v.starts_with('+') || v.starts_with('-')) v.remove_prefix(1);
  // Only reached with a sign or a leading dot: "+inf", "-Infinity", ".nan".
  if (equals_folded(v, ".inf") || equals_folded(v, ".nan") || equals_folded(v, "inf") ||
      equals_folded(v, "infinity") || equals_folded(v, "nan"))
    return true;
  if (v.size() > 2 && v[0] == '0') {
    char base = static_cast<char>(v[1] | 0x20);
    if (base == 'x') return all_of_digits(v.substr(2), "0123456789abcdefABCDEF");
    if (base == 'o') return all_of_digits(v.substr(2), "01234567");
    if (base == 'b') return all_of_digits(v.substr(2), "01");
  }
  return is_decimal(v);
}

}  // namespace

ScalarType plain_scalar_type(std::string_view text) {
  // Every word above starts with one of these: other text (a port, "web",
  // "TCP") is neither, without a search.
  constexpr std::string_view k_word_starts = "~nNyYtTfFoO";
  if (text.size() > k_longest_word || (!text.empty() && k_word_starts.find(text[0]) == std::string_view::npos))
    return is_number(text) ? ScalarType::number : ScalarType::string;
  if (std::find(k_nulls.begin(), k_nulls.end(), text) != k_nulls.end()) return ScalarType::null;
  if (std::find(k_booleans.begin(), k_booleans.end(), text) != k_booleans.end())
    return ScalarType::boolean;
  return is_number(text) ? ScalarType::number : ScalarType::string;
}

ScalarType scalar_type(const yaml::Node& node) {
  if (node.kind == yaml::NodeKind::null) return ScalarType::null;
  return node.plain ? plain_scalar_type(node.value) : ScalarType::string;
}

const char* to_string(ScalarType type) {
  switch (type) {
    case ScalarType::string: return "string";
    case ScalarType::boolean: return "boolean";
    case ScalarType::number: return "number";
    case ScalarType::null: return "null";
  }
  return "value";
}

}  // namespace pushgate
