#include "validators/yaml/scalar_type.hpp"

#include <catch2/catch.hpp>

namespace pushgate {
namespace {

TEST_CASE("plain scalars read as Kubernetes' YAML 1.1 reader reads them", "[scalar_type]") {
  SECTION("numbers, with and without '_' separators") {
    for (std::string_view n : {"0", "8080", "-1", "+1", "1.5", ".5", "1e3", "1.5E-3", "1_000", "1_000.000_1",
                               "0x1F", "0x_1f", "0o17", "0b101", "+.inf", "-Infinity", ".nan", "-nan"})
      CHECK(plain_scalar_type(n) == ScalarType::number);
  }
  SECTION("text that only looks like a number") {
    for (std::string_view s : {"1e", "1.2.3", "0x", "0b102", "0o8", "v1", "1Gi", "10m", "1_000x", "_1", "+",
                               "-", ".", "inf", "1:2", "web"})
      CHECK(plain_scalar_type(s) == ScalarType::string);
  }
  SECTION("booleans and nulls") {
    for (std::string_view b : {"y", "No", "TRUE", "false", "on", "OFF"}) CHECK(plain_scalar_type(b) == ScalarType::boolean);
    for (std::string_view n : {"", "~", "null", "Null", "NULL"}) CHECK(plain_scalar_type(n) == ScalarType::null);
    for (std::string_view s : {"nULL", "yess", "Tru", "0n"}) CHECK(plain_scalar_type(s) == ScalarType::string);
  }
}

}  // namespace
}  // namespace pushgate
