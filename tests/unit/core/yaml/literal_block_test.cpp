#include "core/yaml/literal_block.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "core/yaml/yaml_tree.hpp"

using namespace pushgate::yaml;

namespace {

// The value of key `a` in `text`, loaded as the validators load manifests.
std::string value_of_a(const std::string& text) {
  LoadResult r = load(text, Limits{}, TextUse::view);
  REQUIRE(r.complete);
  REQUIRE(r.problems.empty());
  REQUIRE(r.documents.size() == 1);
  const Document& doc = r.documents[0];
  NodeId a = doc.find(doc.root(), "a");
  REQUIRE(a != k_no_node);
  return std::string(doc.node(a).value);
}

// Whether read_literal_block takes the scalar of key `a` (its content
// starts on the line after `a: |`) itself rather than leaving it to libfyaml.
bool read_here(const std::string& text) {
  std::size_t begin = text.find('\n') + 1;
  std::size_t end = text.find("\nb:");
  end = end == std::string::npos ? text.size() : end + 1;
  std::string out;
  return read_literal_block(text, begin, end, out);
}

}  // namespace

TEST_CASE("literal block scalars keep their lines and lose their indentation", "[yaml_tree][literal_block]") {
  struct Case {
    std::string text;
    std::string value;
    bool here;  // read by read_literal_block, not by libfyaml
  };
  const Case cases[] = {
      {"a: |\n  x\n   y\n\n  z\n\n\nb: 1\n", "x\n y\n\nz\n", true},
      {"a: |-\n    p\n\n    q\n  \nb: 1\n", "p\n\nq", true},
      {"a: |\n  no final line break", "no final line break\n", true},
      {"a: |   \n  header with spaces\nb: 1\n", "header with spaces\n", true},
      {"a: !!str |\n  # not a comment\n  k: v # nor this\nb: 1\n", "# not a comment\nk: v # nor this\n", true},
      {"a: |\n  ünïcode ✓\nb: 1\n", "ünïcode ✓\n", true},
      // Left to libfyaml, which reads them the same.
      {"a: |+\n  kept\n\n\nb: 1\n", "kept\n\n\n", false},
      {"a: |2\n   indicated\nb: 1\n", " indicated\n", false},
      {"a: | # comment\n  commented header\nb: 1\n", "commented header\n", false},
      {"a: |\n\n  leading empty line\nb: 1\n", "\nleading empty line\n", false},
      {"a: |\n  x\n      \n  y\nb: 1\n", "x\n    \ny\n", false},
      {"a: |\n  tab\there\nb: 1\n", "tab\there\n", false},
      {"a: |\r\n  crlf\r\nb: 1\r\n", "crlf\n", false},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(value_of_a(c.text) == c.value);
    CHECK(read_here(c.text) == c.here);
  }
}
