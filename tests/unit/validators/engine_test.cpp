#include "validators/engine.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "tests/unit/validators/secrets/fake_secrets.hpp"
#include "tests/unit/validators/test_support.hpp"
#include "validators/rule_catalog.hpp"
#include "validators/secrets/secret_check.hpp"
#include "validators/tree/directory_source.hpp"

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
  CHECK(std::is_sorted(a.findings.begin(), a.findings.end()));
  CHECK(with_rule(a, "k8s.duplicate").size() > 10);  // the cross-file check's, merged among the files'
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

namespace {

// Runs the engine with the secret scan over the folder `dir`, as `pushgate validate DIR` does.
Report validate_folder(const std::filesystem::path& dir, const ValidateSettings& settings = {}, unsigned threads = 1) {
  PathFilter filter(settings.include, settings.exclude);
  DirectorySource source({dir.string()}, filter, DirectorySource::Unselected::keep);
  secrets::SecretCheck check(settings, nullptr);
  EngineOptions options;
  options.threads = threads;
  options.secrets = &check;
  options.secrets_only = &source.unselected();
  return Engine(settings).run(source, nullptr, options);
}

}  // namespace

TEST_CASE("Engine scans every file for secrets, manifest or not, .git and links left out", "[validators][engine][secrets]") {
  TempDir dir;
  test::spit(dir / "app/.env", "KEY=" + test::fake_aws_key_id() + "\n");
  test::spit(dir / ".git/config", "KEY=" + test::fake_aws_key_id() + "\n");
  test::spit(dir / "app/readme.md", "nothing\n");
  test::spit(dir / "deploy/cm.yaml", config_map(1, "data:\n  token: " + test::fake_jwt() + "\n"));
  std::filesystem::create_symlink("../app/.env", dir / "deploy/env.yaml");  // a manifest by name
  Report report = validate_folder(dir.path());
  REQUIRE(report.secrets.findings.size() == 2);
  CHECK(report.secrets.findings[0].where.path == (dir / "app/.env").string());
  CHECK(report.secrets.findings[0].rule == "secrets.aws-access-key");
  CHECK(report.secrets.findings[1].where.path == (dir / "deploy/cm.yaml").string());
  CHECK(report.secrets.findings[1].rule == "secrets.jwt");
  CHECK(report.secrets.files == 3);
  CHECK(report.secrets.errors == 2);
  CHECK(report.files_checked == 2);  // the manifests: cm.yaml and the link
}

TEST_CASE("Engine scans a manifest for secrets on the bytes it read for the checks", "[validators][engine][secrets]") {
  MemorySource source;
  for (int i = 0; i < 20; ++i) source.add(fmt::format("deploy/f{:02}.yaml", i), config_map(i));
  source.add("deploy/key.yaml", config_map(99, "data:\n  key: " + test::fake_aws_key_id() + "\n"));
  ValidateSettings settings;
  secrets::SecretCheck check(settings, nullptr);
  EngineOptions options;
  options.secrets = &check;
  Report report = Engine(settings).run(source, nullptr, options);
  CHECK(source.reads() == source.entries().size());
  CHECK(report.secrets.files == source.entries().size());
  REQUIRE(report.secrets.findings.size() == 1);
  CHECK(report.secrets.findings[0].where.path == "deploy/key.yaml");
}

TEST_CASE("Engine scans a file too large for the manifest checks, up to the secret scan's bound", "[validators][engine][secrets]") {
  TempDir dir;
  std::string key_line = "key: " + test::fake_aws_key_id() + "\n";
  test::spit(dir / "big.yaml", std::string(200, '#') + "\n" + key_line);
  test::spit(dir / "huge.txt", std::string(2000, '#') + "\n" + key_line);
  ValidateSettings settings;
  settings.file_size = 100;
  settings.secrets.file_size = 1000;
  Report report = validate_folder(dir.path(), settings);
  CHECK(only(report, "yaml.size").where.path == (dir / "big.yaml").string());
  REQUIRE(report.secrets.findings.size() == 2);
  CHECK(report.secrets.findings[0].where.path == (dir / "big.yaml").string());
  CHECK(report.secrets.findings[0].rule == "secrets.aws-access-key");
  CHECK(report.secrets.findings[1].where.path == (dir / "huge.txt").string());
  CHECK(report.secrets.findings[1].rule == "secrets.file-size");
}

TEST_CASE("Engine checks a manifest too large for the secret scan, which notes it", "[validators][engine][secrets]") {
  TempDir dir;
  test::spit(dir / "cm.yaml", config_map(1, "data: {a: 1, a: 2}\n# " + std::string(200, '#') + "\n"));
  ValidateSettings settings;
  settings.secrets.file_size = 100;
  Report report = validate_folder(dir.path(), settings);
  CHECK(only(report, "yaml.duplicate-key").where.path == (dir / "cm.yaml").string());
  REQUIRE(report.secrets.findings.size() == 1);
  CHECK(report.secrets.findings[0].rule == "secrets.file-size");
  CHECK_THAT(report.secrets.findings[0].message, Catch::Contains(" bytes, more than validate.secrets.file_size (100)"));
}

TEST_CASE("Engine reads a folder's files within the limits, from one open each", "[validators][engine]") {
  TempDir dir;
  ValidateSettings settings;
  settings.file_size = 100;
  SECTION("a file at the limit is checked; one a byte over is yaml.size, unparsed") {
    std::string at = config_map(1, "data: {a: 1, a: 2}\n");
    test::spit(dir / "at.yaml", at + std::string(100 - at.size() - 1, '#') + "\n");
    test::spit(dir / "over.yaml", "a: [\n" + std::string(100 - 5, '#') + "\n");
    Report report = validate_folder(dir.path(), settings);
    CHECK(only(report, "yaml.duplicate-key").where.path == (dir / "at.yaml").string());
    Finding size = only(report, "yaml.size");
    CHECK(size.where.path == (dir / "over.yaml").string());
    CHECK_THAT(size.message, Catch::StartsWith("file is 101 bytes, over the limit of 100 bytes"));
    CHECK(with_rule(report, "yaml.syntax").empty());
    CHECK(report.files_checked == 2);
  }
  SECTION("a file gone since the walk is [file.read], and the index incomplete") {
    test::spit(dir / "gone.yaml", config_map(1));
    PathFilter filter(settings.include, settings.exclude);
    DirectorySource source({dir.path().string()}, filter);
    std::filesystem::remove(dir / "gone.yaml");
    Report report = Engine(settings).run(source, nullptr, {});
    Finding f = only(report, "file.read");
    CHECK(f.where.path == (dir / "gone.yaml").string());
    CHECK_THAT(f.message, Catch::Contains("No such file"));
    CHECK_FALSE(report.objects.complete());
  }
  SECTION("a symbolic link is read as its target, sized as its target, and reported under its name") {
    test::spit(dir / "target.txt", config_map(1, "data: {a: 1, a: 2}\n"));
    std::filesystem::create_symlink("target.txt", dir / "web.yaml");
    test::spit(dir / "big.txt", std::string(200, '#') + "\n");
    std::filesystem::create_symlink("big.txt", dir / "big.yaml");
    Report report = validate_folder(dir.path(), settings);
    Finding f = only(report, "yaml.duplicate-key");
    CHECK(f.where.path == (dir / "web.yaml").string());
    CHECK_THAT(f.message, Catch::EndsWith("where the symbolic link points)"));
    CHECK(only(report, "yaml.size").where.path == (dir / "big.yaml").string());
  }
}

TEST_CASE("Engine's secret scan on several threads gives the one-thread report", "[validators][engine][secrets]") {
  TempDir dir;
  for (int i = 0; i < 40; ++i)
    test::spit(dir / fmt::format("f{:02}.{}", i, i % 2 ? "env" : "yaml"),
               i % 3 == 0 ? "key: " + test::fake_aws_key_id() + "\n" : "x: 1\n");
  Report one = validate_folder(dir.path(), {}, 1);
  Report four = validate_folder(dir.path(), {}, 4);
  REQUIRE(one.secrets.findings.size() == 14);
  REQUIRE(four.secrets.findings.size() == one.secrets.findings.size());
  for (std::size_t i = 0; i < one.secrets.findings.size(); ++i)
    CHECK(four.secrets.findings[i].where.path == one.secrets.findings[i].where.path);
  CHECK(std::is_sorted(four.secrets.findings.begin(), four.secrets.findings.end()));
  CHECK(four.secrets.files == 40);
  CHECK(four.secrets.bytes == one.secrets.bytes);
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
