#include <catch2/catch.hpp>

#include "core/util/base64.hpp"

using namespace pushgate;

TEST_CASE("base64 decodes and encodes as RFC 4648 says") {
  CHECK(decode_base64("aGVsbG8=") == "hello");
  CHECK(decode_base64("aGVs\nbG8h") == "hell" "o!");
  CHECK(decode_base64("aA==") == "h");
  CHECK(decode_base64("aGVsbG8") == std::nullopt);   // padding missing
  CHECK(decode_base64("aG=sbG8=") == std::nullopt);  // padding inside
  CHECK(decode_base64("a") == std::nullopt);
  CHECK(encode_base64("hello") == "aGVsbG8=");
  CHECK(encode_base64("h") == "aA==");
  CHECK(encode_base64("") == "");
}
