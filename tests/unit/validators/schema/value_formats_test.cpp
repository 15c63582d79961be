#include "validators/schema/value_formats.hpp"

#include <catch2/catch.hpp>

using namespace pushgate::schema;

TEST_CASE("numbers as Kubernetes' YAML reader gives them to JSON", "[schema]") {
  CHECK(parse_number("42")->integer == 42);
  CHECK(parse_number("-7")->integer == -7);
  CHECK(parse_number("0x1F")->integer == 31);
  CHECK(parse_number("1_000")->integer == 1000);
  CHECK(parse_number("1e3")->integral);
  CHECK(parse_number("2.0")->integral);
  CHECK(!parse_number("1.5")->integral);
  CHECK(!parse_number(".inf")->integral);
  CHECK(!parse_number("-.inf")->integral);
  CHECK(!parse_number("99999999999999999999")->fits_int64);
  CHECK(parse_number("-9223372036854775808")->fits_int64);
  CHECK(!parse_number("9223372036854775808")->fits_int64);
  CHECK(!parse_number("0xZZ"));
  CHECK(!parse_number("12abc"));
}

TEST_CASE("resource quantities", "[schema]") {
  for (const char* ok : {"1", "500m", "0.5", ".5", "5.", "1.5Gi", "+4k", "-1", "1e3", "2E-2", "100Mi", "1Ei"}) {
    INFO(ok);
    CHECK(is_quantity(ok));
  }
  for (const char* bad : {"", "m", "1 Gi", "1GB", "1gi", "1.2.3", "1e", "1e1.5", "0x10", "Gi", "1mi"}) {
    INFO(bad);
    CHECK(!is_quantity(bad));
  }
}

TEST_CASE("string formats", "[schema]") {
  CHECK(is_date_time("2024-01-02T15:04:05Z"));
  CHECK(is_date_time("2024-01-02T15:04:05.123+02:00"));
  CHECK(!is_date_time("2024-01-02 15:04:05Z"));
  CHECK(!is_date_time("2024-13-02T15:04:05Z"));
  CHECK(!is_date_time("2024-01-02T15:04:05"));
  CHECK(!is_date_time("2024-01-02T15:04:05Zjunk"));
  CHECK(is_base64("aGVsbG8="));
  CHECK(is_base64(""));
  CHECK(!is_base64("aGVsbG8"));
  CHECK(!is_base64("aGV=sbG8"));
  CHECK(string_format_mismatch(Format::date, "2024-01-02") == nullptr);
  CHECK(string_format_mismatch(Format::date, "2024-01-02T00:00:00Z") == std::string("a date such as 2024-01-02"));
  CHECK(string_format_mismatch(Format::uuid, "123e4567-e89b-12d3-a456-426614174000") == nullptr);
  CHECK(string_format_mismatch(Format::uuid, "123e4567e89b12d3a456426614174000") != nullptr);
  CHECK(string_format_mismatch(Format::ipv4, "10.0.0.1") == nullptr);
  CHECK(string_format_mismatch(Format::ipv4, "10.0.0.256") != nullptr);
  CHECK(string_format_mismatch(Format::ipv6, "fe80::1") == nullptr);
  CHECK(string_format_mismatch(Format::ipv6, "10.0.0.1") != nullptr);
  CHECK(string_format_mismatch(Format::cidr, "10.0.0.0/8") == nullptr);
  CHECK(string_format_mismatch(Format::cidr, "fd00::/64") == nullptr);
  CHECK(string_format_mismatch(Format::cidr, "10.0.0.0/33") != nullptr);
  CHECK(string_format_mismatch(Format::hostname, "web-1.example.com") == nullptr);
  CHECK(string_format_mismatch(Format::hostname, "-web.example.com") != nullptr);
  CHECK(string_format_mismatch(Format::hostname, "web_1") != nullptr);
  CHECK(string_format_mismatch(Format::int32, "anything") == nullptr);
}
