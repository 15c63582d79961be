#include "core/yaml/yaml_tree.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using namespace pushgate::yaml;

namespace {

LoadResult load_text(const std::string& text, Limits limits = {}) { return load(text, limits); }

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
    LoadResult two = load_text("a: 1\n---\nb: : :\n");
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
  SECTION("a depth limit above the parser's own is still a depth problem") {
    Limits limits;
    limits.depth = 10'000;
    std::string text(5'000, '[');
    LoadResult r = load_text(text, limits);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == ProblemKind::depth);
    CHECK(r.problems[0].mark.line == 1);
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
