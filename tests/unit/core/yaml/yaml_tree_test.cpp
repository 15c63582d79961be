#include "core/yaml/yaml_tree.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <string>

#include "tests/unit/support/stderr_capture.hpp"

using namespace pushgate::yaml;
using pushgate::test::StderrCapture;
using pushgate::test::TempDir;

namespace {

LoadResult load_text(const std::string& text, Limits limits = {}) { return load(text, limits); }

// The one document of `text`, which must load without problems.
Document load_one(const std::string& text) {
  LoadResult r = load_text(text);
  REQUIRE(r.complete);
  REQUIRE(r.problems.empty());
  REQUIRE(r.documents.size() == 1);
  return std::move(r.documents[0]);
}

// "lol" nested `levels` deep, each level a list of `width` aliases to the
// one below: expands to width^levels nodes.
std::string billion_laughs(int levels, int width) {
  std::string text = "l0: &l0 [lol]\n";
  for (int i = 1; i <= levels; ++i) {
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < width; ++k) text += (k ? ", *l" : "*l") + std::to_string(i - 1);
    text += "]\n";
  }
  return text;
}

}  // namespace

TEST_CASE("yaml_tree builds documents with 1-based positions", "[yaml_tree]") {
  LoadResult r = load_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: \"1\"\n  b: 2\n");
  REQUIRE(r.complete);
  REQUIRE(r.problems.empty());
  REQUIRE(r.documents.size() == 1);
  const Document& doc = r.documents[0];

  SECTION("mapping lookups") {
    NodeId name = doc.path({"metadata", "name"});
    REQUIRE(name != k_no_node);
    CHECK(doc.node(name).value == "web");
    CHECK(doc.node(name).mark.line == 4);
    CHECK(doc.node(name).mark.column == 9);
    CHECK(doc.path({"metadata", "missing"}) == k_no_node);
    CHECK(doc.path({"kind", "deeper"}) == k_no_node);
  }
  SECTION("quoted and plain scalars") {
    CHECK_FALSE(doc.node(doc.path({"data", "a"})).plain);
    CHECK(doc.node(doc.path({"data", "b"})).plain);
  }
  SECTION("root mapping position") {
    CHECK(doc.node(doc.root()).kind == NodeKind::mapping);
    CHECK(doc.node(doc.root()).mark.line == 1);
    CHECK(doc.node(doc.root()).mark.column == 1);
  }
}

TEST_CASE("yaml_tree with TextUse::view reads the same values, most of them in place", "[yaml_tree]") {
  const std::string text =
      "plain: web\nquoted: \"a b\"\nescaped: \"tab\\there\"\nsingle: 'it''s'\nfolded: two\n  lines\n"
      "literal: |\n  one\n  two\nfold: >-\n  a\n  b\nlist: [x, 'y', \"z\"]\n";
  LoadResult copied = load(text, {}, TextUse::copy);
  LoadResult viewed = load(text, {}, TextUse::view);
  REQUIRE(copied.problems.empty());
  REQUIRE(viewed.problems.empty());
  REQUIRE(viewed.documents.size() == 1);
  const Document& a = copied.documents[0];
  const Document& b = viewed.documents[0];
  auto in_text = [&](std::string_view v) {
    return !v.empty() && std::less_equal<const char*>()(text.data(), v.data()) &&
           std::less_equal<const char*>()(v.data() + v.size(), text.data() + text.size());
  };
  for (std::string_view key : {"plain", "quoted", "escaped", "single", "folded", "literal", "fold"}) {
    CAPTURE(key);
    CHECK(b.node(b.find(b.root(), key)).value == a.node(a.find(a.root(), key)).value);
    CHECK_FALSE(in_text(a.node(a.find(a.root(), key)).value));
  }
  CHECK(b.node(b.find(b.root(), "escaped")).value == "tab\there");
  CHECK(b.node(b.find(b.root(), "single")).value == "it's");
  CHECK(b.node(b.find(b.root(), "folded")).value == "two lines");
  CHECK(b.node(b.find(b.root(), "literal")).value == "one\ntwo\n");
  CHECK(b.node(b.find(b.root(), "fold")).value == "a b");
  // One-line values without escapes are views of the text; the rest copies.
  CHECK(in_text(b.node(b.find(b.root(), "plain")).value));
  CHECK(in_text(b.node(b.find(b.root(), "quoted")).value));
  CHECK_FALSE(in_text(b.node(b.find(b.root(), "escaped")).value));
  CHECK_FALSE(in_text(b.node(b.find(b.root(), "literal")).value));
  const Node& list = b.node(b.find(b.root(), "list"));
  REQUIRE(list.children.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(b.node(list.children[i]).value == std::string(1, "xyz"[i]));
    CHECK(in_text(b.node(list.children[i]).value));
  }
}

TEST_CASE("yaml_tree reads several documents and empty ones", "[yaml_tree]") {
  SECTION("three documents, one empty") {
    LoadResult r = load_text("a: 1\n---\n---\nb: 2\n");
    REQUIRE(r.complete);
    REQUIRE(r.documents.size() == 3);
    CHECK_FALSE(r.documents[0].empty());
    CHECK(r.documents[1].empty());
    CHECK(r.documents[1].start().line == 2);
    CHECK_FALSE(r.documents[2].empty());
  }
  SECTION("an empty file has no documents") {
    LoadResult r = load_text("");
    CHECK(r.complete);
    CHECK(r.documents.empty());
  }
  SECTION("a comment-only file has no documents") {
    CHECK(load_text("# nothing here\n").documents.empty());
  }
}

TEST_CASE("yaml_tree reports syntax errors at the parser's position", "[yaml_tree]") {
  LoadResult r = load_text("a: 1\nb: [1, 2\n");
  CHECK_FALSE(r.complete);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].kind == ProblemKind::syntax);
  CHECK(r.problems[0].mark.line >= 2);
  CHECK_FALSE(r.problems[0].message.empty());

  SECTION("documents before the error are kept") {
    LoadResult two = load_text("a: 1\n---\nb: [1, 2\n");
    CHECK_FALSE(two.complete);
    CHECK(two.documents.size() == 1);
  }
}

TEST_CASE("yaml_tree finds duplicate keys", "[yaml_tree]") {
  SECTION("top level, with both positions") {
    LoadResult r = load_text("a: 1\nb: 2\na: 3\n");
    REQUIRE(r.problems.size() == 1);
    const Problem& p = r.problems[0];
    CHECK(p.kind == ProblemKind::duplicate_key);
    CHECK(p.mark.line == 3);
    CHECK(p.mark.column == 1);
    CHECK(p.other.line == 1);
    CHECK(p.other.column == 1);
    CHECK(p.message == "duplicate key 'a' on line 3 (first defined on line 1, column 1)");
    CHECK(r.complete);  // a duplicate does not stop parsing
  }
  SECTION("in a nested mapping") {
    LoadResult r = load_text("outer:\n  inner:\n    x: 1\n    x: 2\n  other: {y: 1, y: 2}\n");
    REQUIRE(r.problems.size() == 2);
    CHECK(r.problems[0].mark.line == 4);
    CHECK(r.problems[0].mark.column == 5);
    CHECK(r.problems[0].other.line == 3);
    CHECK(r.problems[1].mark.line == 5);
    CHECK(r.problems[1].mark.column == 17);
  }
  SECTION("in a large mapping, past the linear scan") {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "k" + std::to_string(i) + ": v\n";
    text += "k3: again\nk39: again\n";
    LoadResult r = load_text(text);
    REQUIRE(r.problems.size() == 2);
    CHECK(r.problems[0].mark.line == 41);
    CHECK(r.problems[0].other.line == 4);
    CHECK(r.problems[1].mark.line == 42);
    CHECK(r.problems[1].other.line == 40);
  }
  SECTION("same key in different mappings is fine") {
    CHECK(load_text("a: {x: 1}\nb: {x: 1}\n").problems.empty());
  }
}

TEST_CASE("yaml_tree places each of a run of empty nodes at its own dash, quickly", "[yaml_tree]") {
  // 20,000 empty items after a megabyte of comment: rereading the comment for
  // each would take minutes.
  std::string text = "-\n";
  for (int i = 0; i < 20'000; ++i) text += "# " + std::string(48, 'c') + "\n";
  for (int i = 0; i < 20'000; ++i) text += "-\n";
  auto start = std::chrono::steady_clock::now();
  LoadResult r = load_text(text);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
  REQUIRE(r.complete);
  const Document& doc = r.documents[0];
  CHECK(doc.node(doc.node(doc.root()).children[1]).mark.line == 20'002);
}

TEST_CASE("yaml_tree enforces its limits", "[yaml_tree]") {
  SECTION("billion laughs stops at the alias limit, quickly") {
    auto start = std::chrono::steady_clock::now();
    LoadResult r = load_text(billion_laughs(9, 10));
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK_FALSE(r.complete);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == ProblemKind::aliases);
    CHECK(r.problems[0].message.find("validate.limits.aliases") != std::string::npos);
    CHECK(elapsed < std::chrono::seconds(1));
  }
  SECTION("aliases below the limit are fine") {
    LoadResult r = load_text("base: &b {cpu: 1}\na: *b\nb: *b\n");
    CHECK(r.complete);
    CHECK(r.problems.empty());
  }
  SECTION("100,000 levels of flow nesting") {
    std::string text(100'000, '[');
    text += std::string(100'000, ']');
    LoadResult r = load_text(text);
    CHECK_FALSE(r.complete);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == ProblemKind::depth);
    CHECK(r.problems[0].mark.line == 1);
    CHECK(r.problems[0].mark.column == 101);
  }
  SECTION("deep block sequences") {
    std::string text;
    for (int i = 0; i < 20'000; ++i) text += "- ";
    text += "x\n";
    LoadResult r = load_text(text);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == ProblemKind::depth);
  }
  SECTION("deep block mappings") {
    std::string text;
    for (int i = 0; i < 300; ++i) text += std::string(2 * i, ' ') + "k:\n";
    LoadResult r = load_text(text);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == ProblemKind::depth);
    CHECK(r.problems[0].mark.line == 101);
  }
  SECTION("the highest configurable depth works, flow and block, and one more level stops") {
    Limits limits;
    limits.depth = 10'000;
    std::string flow = std::string(10'000, '[') + std::string(10'000, ']');
    LoadResult r = load_text(flow, limits);
    CHECK(r.complete);
    CHECK(r.problems.empty());
    LoadResult deeper = load_text("[" + flow + "]", limits);
    REQUIRE(deeper.problems.size() == 1);
    CHECK(deeper.problems[0].kind == ProblemKind::depth);
    CHECK(deeper.problems[0].mark.column == 10'001);

    std::string block;  // 10,000 nested mappings need 50 MB of indentation
    for (int i = 0; i < 10'000; ++i) block += std::string(i, ' ') + "k:\n";
    r = load_text(block, limits);
    CHECK(r.complete);
    CHECK(r.problems.empty());
    block += std::string(10'000, ' ') + "k: v\n";
    deeper = load_text(block, limits);
    REQUIRE(deeper.problems.size() == 1);
    CHECK(deeper.problems[0].kind == ProblemKind::depth);
    CHECK(deeper.problems[0].mark.line == 10'001);
  }
  SECTION("exactly at the depth limit is fine") {
    Limits limits;
    limits.depth = 3;
    CHECK(load_text("[[[1]]]", limits).complete);
    CHECK_FALSE(load_text("[[[[1]]]]", limits).complete);
  }
  SECTION("document limit") {
    Limits limits;
    limits.documents = 2;
    LoadResult r = load_text("a: 1\n---\nb: 2\n---\nc: 3\n", limits);
    CHECK_FALSE(r.complete);
    CHECK(r.documents.size() == 2);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == ProblemKind::documents);
    CHECK(r.problems[0].mark.line == 4);
  }
  SECTION("an alias inside the node it refers to") {
    LoadResult r = load_text("a: &x [1, *x]\n");
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == ProblemKind::recursive_alias);
    CHECK(r.problems[0].mark.line == 1);
    CHECK(r.problems[0].mark.column == 11);
  }
  SECTION("an alias to an unknown anchor is a syntax error") {
    LoadResult r = load_text("a: *nowhere\n");
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == ProblemKind::syntax);
  }
}

TEST_CASE("yaml_tree rejects what a conformant parser rejects, in libfyaml's words", "[yaml_tree]") {
  struct Case {
    const char* text;
    int line;
    int column;
    const char* says;
  };
  // Inputs that yaml-cpp accepted, each a case of the YAML test suite's kind.
  const Case cases[] = {
      {"message: \"hello\nreplicas: 2\n", 1, 10, "double-quoted"},
      {"spec:\n  paused\n  replicas: 2\n", 2, 3, "multiline plain key"},
      {"args: [ , \"sleep\" ]\n", 1, 9, "flow sequence"},
      {"a: \"1\"# one\n", 1, 7, "comment"},
      {"a: 1\nb: c: d\n", 2, 5, "same line"},
      {"--- |0\n", 1, 4, "indentation indicator 0"},  // printed by libfyaml, not collected
  };
  for (const Case& c : cases) {
    INFO(c.text);
    LoadResult r = load_text(c.text);
    CHECK_FALSE(r.complete);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == ProblemKind::syntax);
    CHECK(r.problems[0].mark.line == c.line);
    CHECK(r.problems[0].mark.column == c.column);
    CHECK(r.problems[0].message.find(c.says) != std::string::npos);
  }
}

TEST_CASE("yaml_tree starts each text afresh, whatever ended the one before", "[yaml_tree]") {
  // The thread's parser is reused: nothing of one text may reach the next.
  Limits shallow;
  shallow.depth = 2;
  for (int round = 0; round < 3; ++round) {
    CHECK(load_text("a: [[[x]]]\nb: 1\n", shallow).problems.at(0).kind == ProblemKind::depth);
    CHECK(load_one("a: 1\n").node(load_one("a: 1\n").root()).children.size() == 2);
    LoadResult bad = load_text("a: [1\n");
    REQUIRE(bad.problems.size() == 1);
    CHECK(bad.problems[0].mark.line == 2);
    CHECK(load_text("--- |0\n").problems.at(0).message.find("indentation indicator") != std::string::npos);
    LoadResult two = load_text("x: 1\n---\ny: 2\n");
    CHECK(two.complete);
    CHECK(two.documents.size() == 2);
    CHECK(two.problems.empty());
    // A text that ended cleanly hands the parser on as it is: its %TAG is
    // unknown to the next text, whose positions start again at 1:1.
    CHECK(load_text("%TAG !e! tag:example.com,2000:\n--- !e!x\nd: 4\n").complete);
    LoadResult untagged = load_text("e: !e!y 5\n");
    CHECK_FALSE(untagged.complete);
    REQUIRE_FALSE(untagged.problems.empty());
    CHECK(untagged.problems[0].mark.line == 1);
    Document next = load_one("f: |\n  text\ng: 2\n");
    CHECK(next.node(next.root()).mark.line == 1);
    CHECK(next.node(next.root()).mark.column == 1);
    CHECK(next.node(next.find(next.root(), "g")).mark.line == 3);
  }
}

TEST_CASE("yaml_tree keeps libfyaml's diagnostics off stderr", "[yaml_tree]") {
  TempDir tmp;
  StderrCapture capture(tmp / "stderr");
  for (const char* text : {"a: \"open\n", "[1, 2\n", "a: b: c\n", "%YAML 9.9\n--- x\n", "\t- x\n", "--- |0\n"})
    CHECK_FALSE(load_text(text).complete);
  CHECK(capture.text().empty());
}

TEST_CASE("yaml_tree reads what yaml-cpp misread", "[yaml_tree]") {
  SECTION("a block scalar at column 0") {
    Document doc = load_one("--- |\nfoo\nbar\n");
    CHECK(doc.node(doc.root()).value == "foo\nbar\n");
    CHECK_FALSE(doc.node(doc.root()).plain);
  }
  SECTION("an anchor on an empty value, then its alias") {
    Document doc = load_one("a: &x\nb: *x\n");
    CHECK(doc.path({"b"}) == doc.path({"a"}));
    CHECK(doc.node(doc.path({"b"})).kind == NodeKind::null);
  }
}

TEST_CASE("yaml_tree node kinds, flags and values", "[yaml_tree]") {
  Document doc = load_one(
      "a: ~\nb: null\nc: \"\"\nd: !!str\ne: !!str null\nf: 'it''s'\ng: \"tab\\tend\"\n"
      "h: >-\n  folded\n  text\ni: \"two\n  lines\"\nj: ' one '\nk: \"\\u00e9\\\"\"\nl: plain  words  # comment\nm: [ in flow , x]\nn: plain\n  on two\n");
  auto at = [&](std::string_view key) -> const Node& { return doc.node(doc.find(doc.root(), key)); };
  CHECK(at("a").kind == NodeKind::null);
  CHECK(at("b").kind == NodeKind::null);
  CHECK(at("c").kind == NodeKind::scalar);
  CHECK(at("c").value.empty());
  CHECK(at("d").kind == NodeKind::scalar);
  CHECK(at("e").kind == NodeKind::scalar);
  CHECK(at("e").value == "null");
  CHECK_FALSE(at("e").plain);
  CHECK(at("f").value == "it's");
  CHECK(at("g").value == "tab\tend");
  CHECK(at("h").value == "folded text");
  CHECK(at("i").value == "two lines");
  CHECK(at("j").value == " one ");
  CHECK(at("k").value == "\u00e9\"");
  CHECK(at("l").value == "plain  words");
  CHECK(doc.node(doc.node(doc.find(doc.root(), "m")).children[0]).value == "in flow");
  CHECK(at("n").value == "plain on two");
}

TEST_CASE("yaml_tree positions are where the user looks", "[yaml_tree]") {
  Document doc = load_one(
      "kind:\nmeta: &m\n  name: \"web\"\nother: *m\nlist:\n  - a\n  -\n  - 'q'\nscript: |\n  echo\n"
      "tagged: !!str x\nlast:   # nothing\n");
  auto mark = [&](std::initializer_list<std::string_view> keys) { return doc.node(doc.path(keys)).mark; };
  auto item = [&](std::size_t i) { return doc.node(doc.node(doc.path({"list"})).children[i]).mark; };
  SECTION("an empty value is on its key's line, at the colon") {
    CHECK(mark({"kind"}).line == 1);
    CHECK(mark({"kind"}).column == 5);
    CHECK(mark({"last"}).line == 12);
    CHECK(mark({"last"}).column == 5);
  }
  SECTION("an empty sequence item is at its dash") {
    CHECK(item(1).line == 7);
    CHECK(item(1).column == 3);
    Document empties = load_one("- # none\n-\n\n  # still none\n- x\n");
    const auto& items = empties.node(empties.root()).children;
    REQUIRE(items.size() == 3);
    CHECK(empties.node(items[0]).mark.line == 1);
    CHECK(empties.node(items[1]).mark.line == 2);
    CHECK(empties.node(items[1]).mark.column == 1);
  }
  SECTION("anchors, aliases and quotes at their first character") {
    CHECK(mark({"meta"}).line == 2);
    CHECK(mark({"meta"}).column == 7);
    CHECK(mark({"meta", "name"}).column == 9);
    CHECK(item(2).column == 5);
    CHECK(mark({"tagged"}).column == 9);
  }
  SECTION("a block scalar at its indicator") {
    CHECK(mark({"script"}).line == 9);
    CHECK(mark({"script"}).column == 9);
  }
  SECTION("an alias at its star") {
    LoadResult alias = load_text("a: &x [1]\nb: [*x, *y]\n");
    REQUIRE(alias.problems.size() == 1);
    CHECK(alias.problems[0].mark.line == 2);
    CHECK(alias.problems[0].mark.column == 9);
  }
}

TEST_CASE("yaml_tree anchors and merge keys", "[yaml_tree]") {
  SECTION("an alias to an anchor of an earlier document is an error") {
    LoadResult r = load_text("a: &base {x: 1}\n---\nb: *base\n");
    CHECK_FALSE(r.complete);
    CHECK(r.documents.size() == 1);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == ProblemKind::syntax);
    CHECK(r.problems[0].mark.line == 3);
    CHECK(r.problems[0].message.find("'*base'") != std::string::npos);
  }
  SECTION("`<<` is an ordinary key: nothing is merged, the alias stays shared") {
    Document doc = load_one("base: &b {cpu: 1}\nweb:\n  <<: *b\n  mem: 2\n");
    CHECK(doc.path({"web", "<<"}) == doc.path({"base"}));
    CHECK(doc.path({"web", "cpu"}) == k_no_node);
    CHECK(doc.node(doc.path({"web"})).children.size() == 4);
  }
  SECTION("two merge keys in one mapping are duplicate keys") {
    LoadResult r = load_text("a: &a {x: 1}\nb: &b {y: 1}\nc:\n  <<: *a\n  <<: *b\n");
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == ProblemKind::duplicate_key);
    CHECK(r.problems[0].mark.line == 5);
  }
}
