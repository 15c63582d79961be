#include "validators/engine.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/validators/test_support.hpp"
#include "validators/rule_catalog.hpp"

using namespace pushgate;
using pushgate::test::describe;
using pushgate::test::MemorySource;
using pushgate::test::only;
using pushgate::test::TempDir;
using pushgate::test::with_rule;

namespace {

std::string config_map(int i, const std::string& extra = "") {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-" + std::to_string(i) + "\n" + extra;
}

// Fills `source` with a tree that has every kind of finding spread over many files.
void add_mixed_tree(MemorySource& source) {
  for (int i = 0; i < 200; ++i) {
    std::string path = "deploy/f" + std::to_string(i) + ".yaml";
    switch (i % 7) {
      case 0: source.add(path, config_map(i)); break;
      case 1: source.add(path, config_map(i, "data: {a: 1, a: 2}\n")); break;
      case 2: source.add(path, config_map(i - 2)); break;  // a duplicate
      case 3: source.add(path, "a: [\n"); break;
      case 4: source.add(path, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_" + std::to_string(i) + "}\n"); break;
      case 5: source.add(path, std::string("x: \0", 4)); break;
      case 6: source.add(path, config_map(i, "---\n---\n" + config_map(i + 1000))); break;
    }
  }
}

}  // namespace

TEST_CASE("Engine runs every validator and counts findings", "[validators][engine]") {
  MemorySource source;
  source.add("a.yaml", config_map(1, "data: {x: 1, x: 2}\n"));
  source.add("b.yaml", "\xEF\xBB\xBF" + config_map(2));
  source.add("c.yaml", config_map(1));
  Report report = Engine(ValidateSettings{}).run(source, nullptr, {});
  INFO(describe(report));
  CHECK(report.files_checked == 3);
  CHECK(report.files_indexed == 3);
  CHECK(report.errors == 2);
  CHECK(report.warnings == 1);
  CHECK_FALSE(report.timed_out);
  REQUIRE(report.findings.size() == 3);
  CHECK(report.findings[0].where.path == "a.yaml");
  CHECK(report.findings[1].where.path == "b.yaml");
  CHECK(report.findings[2].rule == "k8s.duplicate");
}

TEST_CASE("Engine gives the same report on any number of threads", "[validators][engine]") {
  MemorySource source;
  add_mixed_tree(source);
  EngineOptions one, four;
  one.threads = 1;
  four.threads = 4;
  Engine engine{ValidateSettings{}};
  Report a = engine.run(source, nullptr, one);
  Report b = engine.run(source, nullptr, four);
  CHECK(a.errors > 50);
  CHECK(a.warnings > 10);
  CHECK(describe(a) == describe(b));
  CHECK(a.errors == b.errors);
  CHECK(a.warnings == b.warnings);
  CHECK(a.files_checked == b.files_checked);
}

TEST_CASE("Engine applies validate.rules overrides", "[validators][engine]") {
  MemorySource source;
  source.add("a.yaml", config_map(1, "data: {x: 1, x: 2}\n") + "---\n---\n" + config_map(2));
  SECTION("off drops the rule's findings") {
    ValidateSettings settings;
    settings.rules["yaml.duplicate-key"] = RuleSetting::off;
    Report report = Engine(settings).run(source, nullptr, {});
    CHECK(with_rule(report, "yaml.duplicate-key").empty());
    CHECK(report.errors == 0);
    CHECK(report.warnings == 1);
  }
  SECTION("warning and error change the severity") {
    ValidateSettings settings;
    settings.rules["yaml.duplicate-key"] = RuleSetting::warning;
    settings.rules["yaml.empty-document"] = RuleSetting::error;
    Report report = Engine(settings).run(source, nullptr, {});
    CHECK(only(report, "yaml.duplicate-key").severity == Severity::warning);
    CHECK(only(report, "yaml.empty-document").severity == Severity::error);
    CHECK(report.errors == 1);
    CHECK(report.warnings == 1);
  }
}

TEST_CASE("Engine checks changed files and indexes the rest", "[validators][engine]") {
  MemorySource source;
  source.add("a.yaml", config_map(1, "data: {x: 1, x: 2}\n"), "blob-a");
  source.add("b.yaml", config_map(2), "blob-b");
  source.add("c.yaml", config_map(1), "blob-c");
  std::vector<std::string> changed{"c.yaml"};

  SECTION("only changed files get file findings; cross-file checks see all") {
    Report report = Engine(ValidateSettings{}).run(source, &changed, {});
    CHECK(report.files_checked == 1);
    CHECK(report.files_indexed == 3);
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].rule == "k8s.duplicate");
    CHECK(report.findings[0].where.path == "c.yaml");
  }
  SECTION("the objects it saw, for the tree's saved index") {
    Report report = Engine(ValidateSettings{}).run(source, &changed, {});
    CHECK(report.objects.complete());
    CHECK(report.objects.files().size() == 3);
    CHECK(report.objects.is_changed("c.yaml"));
    CHECK_FALSE(report.objects.is_changed("a.yaml"));
  }
}

TEST_CASE("Engine stops at the deadline", "[validators][engine]") {
  MemorySource source;
  add_mixed_tree(source);
  EngineOptions options;
  options.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  Report report = Engine(ValidateSettings{}).run(source, nullptr, options);
  CHECK(report.timed_out);
  CHECK(report.files_checked == 0);
  CHECK_FALSE(report.objects.complete());  // so no index is saved from it
}

TEST_CASE("Engine reports a file it cannot read", "[validators][engine]") {
  class Unreadable : public MemorySource {
   public:
    Expected<std::string> read(const ManifestEntry& entry) const override {
      return Error{ErrorCode::io, "cannot read '" + entry.path + "': permission denied"};
    }
  };
  Unreadable source;
  source.add("secret.yaml", "a: 1\n");
  Report report = Engine(ValidateSettings{}).run(source, nullptr, {});
  Finding f = only(report, "file.read");
  CHECK(f.severity == Severity::error);
  CHECK(f.message.find("permission denied") != std::string::npos);
  CHECK_FALSE(report.objects.complete());
}

TEST_CASE("check_rule_overrides names a misspelt rule at its line and column", "[validators][rules]") {
  auto config = pushgate::parse_repo_config("validate:\n  rules:\n    yaml.crlf: off\n    yaml.crfl: off\n",
                                            "app.git/pushgate.yaml");
  REQUIRE(config);
  auto bad = pushgate::check_rule_overrides(config->validate);
  REQUIRE(bad);
  CHECK(bad->code == pushgate::ErrorCode::config);
  CHECK_THAT(bad->message, Catch::StartsWith("app.git/pushgate.yaml:4:5: error: [config] validate.rules names 'yaml.crfl'"));
  CHECK_THAT(bad->message, !Catch::Contains("'yaml.crlf'"));

  auto good = pushgate::parse_repo_config("validate:\n  rules: {yaml.crlf: off, k8s.labels: warning}\n", "x");
  REQUIRE(good);
  CHECK_FALSE(pushgate::check_rule_overrides(good->validate));
}
