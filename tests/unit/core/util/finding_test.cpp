#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "core/util/finding.hpp"

using pushgate::Finding;
using pushgate::SharedText;

TEST_CASE("Findings order by path, line, column, rule and message") {
  SharedText shared("b.yaml");
  auto at = [](SharedText path, int line, int column, pushgate::RuleId rule, std::string message = "m") {
    return Finding{{std::move(path), line, column}, pushgate::Severity::error, rule, std::move(message), {}};
  };
  CHECK(at("a.yaml", 9, 9, "z") < at(shared, 1, 1, "a"));
  CHECK(at(shared, 1, 9, "z") < at(shared, 2, 1, "a"));
  CHECK(at(shared, 2, 1, "z") < at(shared, 2, 2, "a"));
  CHECK(at(shared, 2, 2, "a") < at("b.yaml", 2, 2, "b"));  // the same path in blocks of their own
  CHECK(at(shared, 2, 2, "a", "m1") < at(shared, 2, 2, "a", "m2"));
  CHECK_FALSE(at(shared, 2, 2, "a") < at(shared, 2, 2, "a"));
}
