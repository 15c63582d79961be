#include "validators/schema/value_formats.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include <arpa/inet.h>

namespace pushgate::schema {

namespace {

// As views made once: a list of literals would measure each with strlen on
// every call, and every quantity of every object takes this.
constexpr std::array<std::string_view, 13> k_quantity_suffixes = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "m",
                                                                  "k",  "M",  "G",  "T",  "P",  "E"};

bool digit(char c) { return c >= '0' && c <= '9'; }

// Consumes digits at `i`; returns how many.
std::size_t digits(std::string_view s, std::size_t& i) {
  std::size_t start = i;
  while (i < s.size() && digit(s[i])) ++i;
  return i - start;
}

// Exactly `n` digits at `i` as a number, or -1.
int fixed(std::string_view s, std::size_t& i, std::size_t n) {
  if (i + n > s.size()) return -1;
  int value = 0;
  for (std::size_t k = 0; k < n; ++k, ++i) {
    if (!digit(s[i])) return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

bool expect(std::string_view s, std::size_t& i, char c) {
  if (i >= s.size() || s[i] != c) return false;
  ++i;
  return true;
}

// A full-date (2024-01-02) at `i`.
bool full_date(std::string_view s, std::size_t& i) {
  int year = fixed(s, i, 4);
  bool date = year >= 0 && expect(s, i, '-');
  int month = date ? fixed(s, i, 2) : -1;
  date = date && expect(s, i, '-');
  int day = date ? fixed(s, i, 2) : -1;
  return date && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool hex(char c) { return digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' : !hex(s[i])) return false;
  return true;
}

bool is_address(int family, std::string_view s) {
  unsigned char buffer[16];
  return s.size() < 64 && inet_pton(family, std::string(s).c_str(), buffer) == 1;
}

bool is_cidr(std::string_view s) {
  auto slash = s.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view address = s.substr(0, slash), prefix = s.substr(slash + 1);
  int bits = is_address(AF_INET, address) ? 32 : is_address(AF_INET6, address) ? 128 : -1;
  int length = -1;
  auto [end, ec] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), length);
  return bits > 0 && ec == std::errc() && end == prefix.data() + prefix.size() && length >= 0 && length <= bits;
}

// RFC 1123: dot-separated labels of letters, digits and inner hyphens.
bool is_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t end = std::min(s.find('.', start), s.size());
    std::string_view label = s.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!(digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '-')) return false;
    if (end == s.size()) return true;
    start = end + 1;
  }
}

}  // namespace

std::optional<Number> parse_number(std::string_view text) {
  std::string s;
  for (char c : text)
    if (c != '_') s += c;
  bool negative = !s.empty() && s[0] == '-';
  std::string_view body = s;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
  Number n;
  int base = 10;
  if (body.size() > 2 && body[0] == '0' && (body[1] | 0x20) == 'x') base = 16;
  if (body.size() > 2 && body[0] == '0' && (body[1] | 0x20) == 'o') base = 8;
  if (body.size() > 2 && body[0] == '0' && (body[1] | 0x20) == 'b') base = 2;
  if (base != 10) body.remove_prefix(2);
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), magnitude, base);
  if (end == body.data() + body.size() && (ec == std::errc() || ec == std::errc::result_out_of_range)) {
    n.integral = true;
    n.fits_int64 = ec == std::errc() && magnitude <= (negative ? 1ULL << 63 : (1ULL << 63) - 1);
    n.integer = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
    n.real = negative ? -static_cast<double>(magnitude) : static_cast<double>(magnitude);
    return n;
  }
  if (base != 10) return std::nullopt;
  char* stop = nullptr;
  std::string normalized(s);
  // YAML writes infinity and NaN with a dot; strtod reads them without.
  for (std::string_view dotted : {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"})
    if (auto at = normalized.find(dotted); at != std::string::npos) normalized.erase(at, 1);
  n.real = std::strtod(normalized.c_str(), &stop);
  if (stop == normalized.c_str() || *stop != '\0') return std::nullopt;
  n.integral = std::isfinite(n.real) && std::trunc(n.real) == n.real;
  n.fits_int64 = n.integral && std::fabs(n.real) < 9.2233720368547758e18;
  if (n.fits_int64) n.integer = static_cast<std::int64_t>(n.real);
  return n;
}

bool is_quantity(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t whole = digits(s, i), fraction = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    fraction = digits(s, i);
  }
  if (whole + fraction == 0) return false;
  std::string_view suffix = s.substr(i);
  if (suffix.empty()) return true;
  for (std::string_view known : k_quantity_suffixes)
    if (suffix == known) return true;
  if (suffix[0] != 'e' && suffix[0] != 'E') return false;
  std::size_t j = 1;
  if (j < suffix.size() && (suffix[j] == '+' || suffix[j] == '-')) ++j;
  return digits(suffix, j) > 0 && j == suffix.size();
}

bool is_date_time(std::string_view s) {
  std::size_t i = 0;
  if (!full_date(s, i) || !expect(s, i, 'T')) return false;
  int hour = fixed(s, i, 2);
  bool time = hour >= 0 && expect(s, i, ':');
  int minute = time ? fixed(s, i, 2) : -1;
  time = time && expect(s, i, ':');
  int second = time ? fixed(s, i, 2) : -1;
  if (!time || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  if (expect(s, i, '.') && digits(s, i) == 0) return false;
  if (expect(s, i, 'Z')) return i == s.size();
  if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return false;
  ++i;
  int offset_hour = fixed(s, i, 2);
  bool offset = offset_hour >= 0 && offset_hour < 24 && expect(s, i, ':');
  int offset_minute = offset ? fixed(s, i, 2) : -1;
  return offset && offset_minute >= 0 && offset_minute < 60 && i == s.size();
}

const char* string_format_mismatch(Format format, std::string_view s) {
  std::size_t i = 0;
  switch (format) {
    case Format::byte: return is_base64(s) ? nullptr : "base64 data";
    case Format::date_time: return is_date_time(s) ? nullptr : "a date-time such as 2024-01-02T15:04:05Z";
    case Format::date: return full_date(s, i) && i == s.size() ? nullptr : "a date such as 2024-01-02";
    case Format::uuid: return is_uuid(s) ? nullptr : "a UUID";
    case Format::ipv4: return is_address(AF_INET, s) ? nullptr : "an IPv4 address";
    case Format::ipv6: return is_address(AF_INET6, s) ? nullptr : "an IPv6 address";
    case Format::cidr: return is_cidr(s) ? nullptr : "a CIDR such as 10.0.0.0/8";
    case Format::hostname: return is_hostname(s) ? nullptr : "a hostname (RFC 1123)";
    case Format::none:
    case Format::int32:
    case Format::int64: return nullptr;
  }
  return nullptr;
}

bool is_base64(std::string_view s) {
  std::size_t count = 0, padding = 0;
  for (char c : s) {
    if (c == '\n' || c == '\r') continue;
    bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || digit(c) || c == '+' || c == '/';
    if (c == '=') ++padding;
    else if (!alphabet || padding > 0) return false;
    ++count;
  }
  return count % 4 == 0 && padding <= 2;
}

}  // namespace pushgate::schema
