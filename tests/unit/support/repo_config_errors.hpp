#pragma once
// Checking the errors of pushgate.yaml texts.

#include <catch2/catch.hpp>

#include <string>

#include "core/config/repo_config.hpp"

namespace pushgate::test {

// The error message for `text`, which must be rejected as a config error;
// messages name the file "pushgate.yaml".
inline std::string rejected(const std::string& text) {
  auto c = parse_repo_config(text, "pushgate.yaml");
  REQUIRE_FALSE(c);
  CHECK(c.error().code == ErrorCode::config);
  return c.error().message;
}

}  // namespace pushgate::test
