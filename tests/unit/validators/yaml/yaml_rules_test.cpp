#include "validators/yaml/yaml_rules.hpp"

#include <catch2/catch.hpp>

#include <chrono>

#include "tests/unit/validators/test_support.hpp"

using namespace pushgate;
using pushgate::test::only;
using pushgate::test::validate_text;
using pushgate::test::with_rule;

TEST_CASE("YAML rules report what the parser finds", "[validators][yaml]") {
  SECTION("yaml.syntax at the parser's position") {
    Finding f = only(validate_text("bad.yaml", "a: 1\nb: [1, 2\nc: 3\n"), "yaml.syntax");
    CHECK(f.severity == Severity::error);
    CHECK(f.where.line >= 2);
    CHECK(f.where.column >= 1);
    CHECK(f.message.starts_with("YAML syntax error: "));
  }
  SECTION("yaml.syntax in JSON") {
    Finding f = only(validate_text("bad.json", "{\"a\": 1\n \"b\": 2}\n"), "yaml.syntax");
    CHECK(f.where.line == 2);
  }
  SECTION("yaml.duplicate-key at the second key, related to the first") {
    Report report = validate_text("dup.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n");
    Finding f = only(report, "yaml.duplicate-key");
    CHECK(f.severity == Severity::error);
    CHECK(f.where.line == 5);
    CHECK(f.where.column == 3);
    REQUIRE(f.related.size() == 1);
    CHECK(f.related[0].path == "dup.yaml");
    CHECK(f.related[0].line == 4);
    CHECK(f.related[0].column == 3);
    CHECK(f.message.find("line 5") != std::string::npos);
    CHECK(f.message.find("line 4") != std::string::npos);
  }
  SECTION("yaml.duplicate-key in nested and large mappings, and in JSON") {
    std::string big = "data:\n";
    for (int i = 0; i < 30; ++i) big += "  k" + std::to_string(i) + ": v\n";
    big += "  k7: again\n";
    Finding f = only(validate_text("big.yaml", big), "yaml.duplicate-key");
    CHECK(f.where.line == 32);
    CHECK(f.related.at(0).line == 9);
    Finding json = only(validate_text("dup.json", "{\"a\": {\"x\": 1,\n \"x\": 2}}\n"), "yaml.duplicate-key");
    CHECK(json.where.line == 2);
    CHECK(json.where.column == 2);
  }
  SECTION("yaml.depth, yaml.aliases, yaml.documents each with their own message") {
    ValidateSettings settings;
    settings.limits.documents = 3;
    Finding depth = only(validate_text("deep.yaml", std::string(200, '[') + std::string(200, ']')), "yaml.depth");
    CHECK(depth.message.find("validate.limits.depth") != std::string::npos);
    Finding docs = only(validate_text("many.yaml", "a: 1\n---\nb: 1\n---\nc: 1\n---\nd: 1\n", settings),
                        "yaml.documents");
    CHECK(docs.where.line == 6);
    CHECK(docs.message.find("validate.limits.documents") != std::string::npos);
    std::string aliases = "a: &a [x]\nb: [";
    for (int i = 0; i < 1100; ++i) aliases += i ? ", *a" : "*a";
    aliases += "]\n";
    Finding alias = only(validate_text("alias.yaml", aliases), "yaml.aliases");
    CHECK(alias.message.find("validate.limits.aliases") != std::string::npos);
    CHECK(alias.where.line == 2);
  }
  SECTION("yaml.recursive-alias") {
    Finding f = only(validate_text("rec.yaml", "a: &x {b: *x}\n"), "yaml.recursive-alias");
    CHECK(f.severity == Severity::error);
    CHECK(f.where.line == 1);
    CHECK(f.where.column == 11);
  }
  SECTION("yaml.empty-document: a warning between documents, not at the end") {
    Report report = validate_text("multi.yaml", "a: 1\n---\n---\nb: 2\n---\n");
    Finding f = only(report, "yaml.empty-document");
    CHECK(f.severity == Severity::warning);
    CHECK(f.where.line == 2);
    CHECK(report.errors == 0);
    CHECK(with_rule(validate_text("end.yaml", "a: 1\n---\n"), "yaml.empty-document").empty());
  }
}

TEST_CASE("hostile YAML is rejected quickly with its own message", "[validators][yaml][hostile]") {
  using Clock = std::chrono::steady_clock;
  SECTION("billion laughs: 9 levels of 10 aliases") {
    std::string text = "lol0: &l0 [lol]\n";
    for (int level = 1; level <= 9; ++level) {
      text += "lol" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
      for (int k = 0; k < 10; ++k) text += (k ? ", *l" : "*l") + std::to_string(level - 1);
      text += "]\n";
    }
    auto start = Clock::now();
    Report report = validate_text("laughs.yaml", text);
    CHECK(Clock::now() - start < std::chrono::seconds(1));
    Finding f = only(report, "yaml.aliases");
    CHECK(f.severity == Severity::error);
  }
  SECTION("100,000 levels of '[' nesting") {
    auto start = Clock::now();
    Report report = validate_text("deep.yaml", std::string(100'000, '['));
    CHECK(Clock::now() - start < std::chrono::seconds(1));
    Finding f = only(report, "yaml.depth");
    CHECK(f.where.line == 1);
  }
  SECTION("deep block nesting `- - - -`") {
    std::string text;
    for (int i = 0; i < 50'000; ++i) text += "- ";
    text += "x\n";
    only(validate_text("deep.yaml", text), "yaml.depth");
  }
  SECTION("deep indented mappings") {
    std::string text;
    for (int i = 0; i < 1'000; ++i) text += std::string(i, ' ') + "k:\n";
    Finding f = only(validate_text("deep.yaml", text), "yaml.depth");
    CHECK(f.where.line == 101);
  }
}
