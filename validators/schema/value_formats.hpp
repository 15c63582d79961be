#pragma once
// The value grammars the API server enforces on strings and numbers.

#include <cstdint>
#include <optional>
#include <string_view>

#include "validators/schema/schema_format.hpp"

namespace pushgate::schema {

// A plain YAML number (as scalar_type resolves it) read as JSON would carry it.
struct Number {
  bool integral = false;  // a whole number: 3, 0x1F, 1e3, 2.0
  bool fits_int64 = false;
  std::int64_t integer = 0;  // when integral and fits_int64
  double real = 0;
};

// `text` as a number, or nullopt when it is not one.
std::optional<Number> parse_number(std::string_view text);

// resource.Quantity's grammar: 500m, 2, 1.5Gi, 1e3, +4k.
bool is_quantity(std::string_view text);

// RFC 3339 as Go's time.RFC3339 reads it (metav1.Time): 2024-01-02T15:04:05Z,
// with optional fraction and a Z or a ±hh:mm offset.
bool is_date_time(std::string_view text);

// What a string of `format` should look like ("a UUID") when `text` is not
// one; nullptr when it is, or when `format` says nothing of strings.
const char* string_format_mismatch(Format format, std::string_view text);

// Standard base64 with padding ([]byte fields, Secret data); line breaks are
// ignored as Go's decoder does.
bool is_base64(std::string_view text);

}  // namespace pushgate::schema
