#include "validators/report_output.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "tests/unit/validators/policy/policy_test_support.hpp"
#include "tests/unit/validators/secrets/exempted_secrets.hpp"

using namespace pushgate;
using nlohmann::json;

namespace {

// The finding of `rule` in the JSON report `out`; fails when there is not exactly one.
json finding_of(const json& out, std::string_view rule) {
  json found;
  int count = 0;
  for (const json& f : out["findings"])
    if (f["rule"] == rule) found = f, ++count;
  REQUIRE(count == 1);
  return found;
}

}  // namespace

TEST_CASE("report_json lists an exempted policy finding as a note with its reason", "[validators][policy]") {
  std::string exempted = test::clean_deployment("", "", "redis");
  exempted.replace(exempted.find("  name: web\n"), 12,
                   "  name: cache\n  annotations: {pushgate.dev/ignore: \"policy.latest-tag: vendor pins it\"}\n");
  Report report = test::validate_text("deploy/cache.yaml", exempted);
  json out = json::parse(report_json(report));
  json note = finding_of(out, "policy.latest-tag");
  CHECK(note["severity"] == "note");
  CHECK(note["exemption"] == "vendor pins it");
  CHECK(out["notes"] == 1);
  CHECK(out["errors"] == 0);
}

TEST_CASE("report_json lists exempted secrets as notes with what accepted them", "[validators][secrets]") {
  Report report;
  report.files_checked = 1;
  add_notes(report, test::exempted_secrets());
  json out = json::parse(report_json(report));
  REQUIRE(out["findings"].size() == 2);
  CHECK(out["notes"] == 2);
  CHECK(out["errors"] == 0);
  const json& inline_note = out["findings"][0];
  CHECK(inline_note["path"] == "app/inline.py");
  CHECK(inline_note["severity"] == "note");
  CHECK(inline_note["rule"] == "secrets.aws-access-key");
  CHECK(inline_note["exemption"] == "accepted by pushgate:allow-secret on the line");
  const json& listed = out["findings"][1];
  CHECK(listed["path"] == "app/listed.py");
  CHECK(listed["severity"] == "note");
  CHECK(listed["exemption"].get<std::string>().starts_with("accepted by the allow-list /srv/allow.txt (fingerprint "));
  CHECK(listed["message"].get<std::string>().find("AKIA****") != std::string::npos);
}

TEST_CASE("print_findings writes every line in order, escaped, then what max_findings left out",
          "[validators][report]") {
  Report report;
  // Enough lines for several of the blocks that threads format in turns.
  for (int i = 1; i <= 7000; ++i)
    report.findings.push_back(Finding{{"deploy/web.yaml", i, 3}, Severity::warning, "k8s.name",
                                      fmt::format("name {} is not a DNS label\n(escaped)", i), {}});
  std::ostringstream all;
  print_findings(report, SIZE_MAX, all);
  for (unsigned threads : {2u, 3u}) {
    std::ostringstream again;
    print_findings(report, SIZE_MAX, again, threads);
    CHECK(again.str() == all.str());
  }
  std::istringstream lines(all.str());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    REQUIRE(line == fmt::format("deploy/web.yaml:{}:3: warning: [k8s.name] name {} is not a DNS label\\n(escaped)",
                                count, count));
  }
  CHECK(count == 7000);

  std::ostringstream cut;
  print_findings(report, 2, cut);
  CHECK(cut.str() ==
        "deploy/web.yaml:1:3: warning: [k8s.name] name 1 is not a DNS label\\n(escaped)\n"
        "deploy/web.yaml:2:3: warning: [k8s.name] name 2 is not a DNS label\\n(escaped)\n"
        "... and 6998 findings more (validate.max_findings is 2)\n");
}
