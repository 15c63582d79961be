#include "validators/report_output.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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
