#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "core/util/finding.hpp"
#include "core/util/terminal_text.hpp"

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

TEST_CASE("append_escaped_finding escapes what came from the push as escaping the whole line would") {
  Finding f{{"dir\n/\xC2\x9B" "a\\b.yaml", 3, 7}, pushgate::Severity::note, "policy.latest-tag",
            "container 'x\x1B[31m' runs image \xFF", {}};
  f.exemption = "pinned\rupstream";
  std::string line;
  pushgate::append_escaped_finding(line, f);
  CHECK(line == pushgate::escape_control(pushgate::format_finding(f)));
  CHECK(line == "dir\\n/\\xc2\\x9ba\\\\b.yaml:3:7: note: [policy.latest-tag] container 'x\\x1b[31m' runs image \\xff "
                "(exempted: pinned\\rupstream)");
}
