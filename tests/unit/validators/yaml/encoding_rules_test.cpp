#include "validators/yaml/encoding_rules.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/validators/test_support.hpp"
#include "validators/yaml/tab_indentation.hpp"

using namespace pushgate;
using namespace std::string_literals;
using pushgate::test::only;
using pushgate::test::validate_text;
using pushgate::test::with_rule;

namespace {

const std::string k_config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n";

}  // namespace

TEST_CASE("encoding rules check a manifest's bytes before parsing", "[validators][encoding]") {
  SECTION("yaml.size: too large, named with size, limit and setting") {
    ValidateSettings settings;
    settings.file_size = 1 << 20;
    std::string big = k_config_map + "data:\n";
    while (big.size() < 2 * 1024 * 1024) big += "  key" + std::to_string(big.size()) + ": value\n";
    test::MemorySource source;
    source.add("big.yaml", big);
    Report report = Engine(settings).run(source, nullptr, {});
    Finding f = only(report, "yaml.size");
    CHECK(f.severity == Severity::error);
    CHECK(f.where.line == 0);
    CHECK(f.message.find(std::to_string(big.size())) != std::string::npos);
    CHECK(f.message.find("1048576") != std::string::npos);
    CHECK(f.message.find("validate.limits.file_size") != std::string::npos);
    CHECK(report.findings.size() == 1);
    CHECK(source.reads() == 0);  // rejected from its size alone
  }
  SECTION("yaml.lfs-pointer: a warning naming LFS, and the pointer is not parsed") {
    Report report = validate_text("big.yaml",
                                  "version https://git-lfs.github.com/spec/v1\n"
                                  "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
                                  "size 12345\n");
    Finding f = only(report, "yaml.lfs-pointer");
    CHECK(f.severity == Severity::warning);
    CHECK(f.message.find("LFS") != std::string::npos);
    CHECK(report.findings.size() == 1);
    CHECK(report.errors == 0);
  }
  SECTION("yaml.binary: NUL byte, nothing else reported") {
    Report report = validate_text("bin.yaml", "a: 1\nb: x\0y\n\t c: 2\r\n"s);
    Finding f = only(report, "yaml.binary");
    CHECK(f.severity == Severity::error);
    CHECK(f.where.line == 2);
    CHECK(f.where.column == 5);
    CHECK(f.message == "binary content (NUL byte at line 2, column 5): not a text manifest");
    CHECK(report.findings.size() == 1);
  }
  SECTION("yaml.utf8: first bad byte, and no parsing") {
    Report report = validate_text("latin1.yaml", "a: ok\nname: caf\xE9\nb: [\n");
    Finding f = only(report, "yaml.utf8");
    CHECK(f.severity == Severity::error);
    CHECK(f.where.line == 2);
    CHECK(f.where.column == 10);
    CHECK(f.message.find("0xE9") != std::string::npos);
    CHECK(with_rule(report, "yaml.syntax").empty());
  }
  SECTION("yaml.utf8: the column counts characters, as the parser's do") {
    Finding f = only(validate_text("a.yaml", "caf\xC3\xA9: \xFF\n"), "yaml.utf8");
    CHECK(f.where.column == 7);
  }
  SECTION("yaml.utf8: overlong forms and surrogates are invalid, real UTF-8 is fine") {
    CHECK(with_rule(validate_text("a.yaml", "a: \xC0\xAF\n"), "yaml.utf8").size() == 1);
    CHECK(with_rule(validate_text("a.yaml", "a: \xED\xA0\x80\n"), "yaml.utf8").size() == 1);
    CHECK(with_rule(validate_text("a.yaml", "a: \xF4\x90\x80\x80\n"), "yaml.utf8").size() == 1);
    CHECK(with_rule(validate_text("a.yaml", "a: caf\xC3"), "yaml.utf8").size() == 1);
    CHECK(validate_text("a.yaml", "a: caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n").findings.empty());
  }
  SECTION("yaml.utf8: UTF-16 is named as such") {
    Finding f = only(validate_text("wide.yaml", "\xFF\xFE" "a\0:\0"s), "yaml.utf8");
    CHECK(f.message.find("UTF-16") != std::string::npos);
  }
  SECTION("yaml.bom: a warning, and the file is still checked") {
    Report report = validate_text("bom.yaml", "\xEF\xBB\xBF" + k_config_map + "data: {a: 1, a: 2}\n");
    Finding f = only(report, "yaml.bom");
    CHECK(f.severity == Severity::warning);
    CHECK(f.where.line == 1);
    CHECK(f.where.column == 1);
    CHECK(with_rule(report, "yaml.duplicate-key").size() == 1);
  }
  SECTION("yaml.crlf: one warning at the first CRLF line") {
    Report report = validate_text("dos.yaml", "apiVersion: v1\nkind: ConfigMap\r\nmetadata:\r\n  name: web\r\n");
    Finding f = only(report, "yaml.crlf");
    CHECK(f.severity == Severity::warning);
    CHECK(f.where.line == 2);
    CHECK(f.where.column == 16);
    CHECK(report.errors == 0);
  }
  SECTION("yaml.tabs: a warning; the parser rejects a tab that YAML forbids") {
    Report report = validate_text("tabs.yaml", k_config_map + "data:\n\tkey: value\n\tother: value\n");
    Finding f = only(report, "yaml.tabs");
    CHECK(f.severity == Severity::warning);
    CHECK(f.where.line == 6);
    CHECK(f.where.column == 1);
    CHECK(f.message.find("1 more line") != std::string::npos);
    Finding syntax = only(report, "yaml.syntax");
    CHECK(syntax.where.line == 6);
    CHECK(syntax.message.find("tab") != std::string::npos);
  }
  SECTION("yaml.tabs: tabs that YAML allows before content pass, with the warning") {
    for (const char* text : {"\t[\n\t]\n", "foo:\n \tbar\n", "x:\n - x\n  \tx\n"}) {
      INFO(text);
      Report report = validate_text("allowed.yaml", text);
      CHECK(report.errors == 0);
      CHECK(with_rule(report, "yaml.tabs").size() == 1);
    }
  }
  SECTION("yaml.tabs: after spaces, at the tab's column") {
    Finding f = only(validate_text("tabs.yml", "a:\n  b:\n  \tc: 1\n"), "yaml.tabs");
    CHECK(f.where.line == 3);
    CHECK(f.where.column == 3);
  }
  SECTION("yaml.tabs: not for JSON, where tabs are whitespace") {
    Report report = validate_text(
        "obj.json", "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"ConfigMap\",\n\t\"metadata\": {\"name\": \"web\"}\n}\n");
    CHECK(report.findings.empty());
  }
}

TEST_CASE("tab detection leaves tabs that YAML allows alone", "[validators][encoding]") {
  auto tab_lines = [](std::string_view text) { return find_tab_indentation(text).lines; };
  SECTION("inside block scalar text") {
    CHECK(tab_lines("data:\n  Makefile: |\n    all:\n    \techo hi\n\n    \t\n  next: 1\n") == 0);
    CHECK(tab_lines("script: >-\n  a\n  \tb\n") == 0);
  }
  SECTION("after a block scalar ends") {
    TabIndentation t = find_tab_indentation("a: |\n  text\nb:\n\tc: 1\n");
    CHECK(t.lines == 1);
    CHECK(t.first == 15);
  }
  SECTION("in flow collections and quoted scalars spanning lines") {
    CHECK(tab_lines("args: [\n\t\"--a\",\n\t\"--b\"]\n") == 0);
    CHECK(tab_lines("env: {\n\tA: 1\n}\n") == 0);
    CHECK(tab_lines("msg: \"first\n\tsecond\"\n") == 0);
  }
  SECTION("brackets and quotes inside plain scalars do not hide later tabs") {
    CHECK(tab_lines("a: x[0\nb: it's\n\tc: 1\n") == 1);
  }
  SECTION("before comments and on blank lines") {
    CHECK(tab_lines("a: 1\n\t# comment\n\t\n") == 0);
  }
}
