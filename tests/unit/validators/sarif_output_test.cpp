#include "validators/sarif_output.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/unit/validators/policy/policy_test_support.hpp"
#include "tests/unit/validators/secrets/exempted_secrets.hpp"
#include "validators/report_output.hpp"
#include "validators/rule_catalog.hpp"

using namespace pushgate;
using nlohmann::json;
using pushgate::test::clean_deployment;
using pushgate::test::MemorySource;

TEST_CASE("report_sarif writes a SARIF 2.1.0 log of the findings", "[validators][sarif]") {
  std::string exempted = clean_deployment("", "", "redis");
  exempted.replace(exempted.find("  name: web\n"), 12,
                   "  name: cache\n  annotations: {pushgate.dev/ignore: \"policy.latest-tag: vendor pins it\"}\n");
  MemorySource source;
  source.add("deploy/web.yaml", clean_deployment("", "", "nginx:latest"));
  source.add("deploy/my cache.yaml", exempted);
  Report report = Engine(ValidateSettings{}).run(source, nullptr, {});
  json log = json::parse(report_sarif(report));

  CHECK(log["version"] == "2.1.0");
  REQUIRE(log["runs"].size() == 1);
  const json& run = log["runs"][0];
  const json& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "pushgate");
  REQUIRE(driver["rules"].size() == rule_ids().size());
  json latest_rule;
  for (const json& rule : driver["rules"])
    if (rule["id"] == "policy.latest-tag") latest_rule = rule;
  CHECK(latest_rule["defaultConfiguration"]["level"] == "error");
  CHECK(latest_rule["shortDescription"]["text"].get<std::string>().find(":latest") != std::string::npos);

  REQUIRE(run["results"].size() == 2);
  const json& note = run["results"][0];  // "deploy/my cache.yaml" sorts first
  CHECK(note["ruleId"] == "policy.latest-tag");
  CHECK(note["level"] == "note");
  CHECK(note["suppressions"][0]["kind"] == "inSource");
  CHECK(note["suppressions"][0]["justification"] == "vendor pins it");
  CHECK(note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "deploy/my%20cache.yaml");

  const json& error = run["results"][1];
  CHECK(error["level"] == "error");
  CHECK(error.contains("suppressions") == false);
  CHECK(driver["rules"][error["ruleIndex"].get<std::size_t>()]["id"] == "policy.latest-tag");
  const json& where = error["locations"][0]["physicalLocation"];
  CHECK(where["artifactLocation"]["uri"] == "deploy/web.yaml");
  CHECK(where["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(where["region"]["startLine"] == 17);
  CHECK(where["region"]["startColumn"] == 18);
  CHECK(error["message"]["text"].get<std::string>().find("'nginx:latest'") != std::string::npos);
}

TEST_CASE("report_sarif gives exempted secrets as notes with inSource and external suppressions",
          "[validators][sarif][secrets]") {
  Report report;
  add_notes(report, test::exempted_secrets());
  json results = json::parse(report_sarif(report))["runs"][0]["results"];
  REQUIRE(results.size() == 2);
  for (const json& r : results) {
    CHECK(r["level"] == "note");
    CHECK(r["ruleId"] == "secrets.aws-access-key");
    REQUIRE(r["suppressions"].size() == 1);
  }
  CHECK(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/inline.py");
  CHECK(results[0]["suppressions"][0]["kind"] == "inSource");
  CHECK(results[0]["suppressions"][0]["justification"] == "accepted by pushgate:allow-secret on the line");
  CHECK(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/listed.py");
  CHECK(results[1]["suppressions"][0]["kind"] == "external");
  CHECK(results[1]["suppressions"][0]["justification"].get<std::string>().starts_with(
      "accepted by the allow-list /srv/allow.txt (fingerprint "));
}

TEST_CASE("path_uri percent-encodes paths and makes absolute ones file URIs", "[validators][sarif]") {
  CHECK(path_uri("deploy/web.yaml") == "deploy/web.yaml");
  CHECK(path_uri("./deploy/a b#1.yaml") == "deploy/a%20b%231.yaml");
  CHECK(path_uri("/srv/x.yaml") == "file:///srv/x.yaml");
  CHECK(path_uri("d\xC3\xA9.yaml") == "d%C3%A9.yaml");
}
