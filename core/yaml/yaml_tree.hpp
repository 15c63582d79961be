#pragma once
// A bounded YAML loader. It builds its own tree from libfyaml's parser events
// (a conformant YAML 1.2 parser) and enforces limits while it parses: nesting
// depth, alias expansion and documents per file. An alias shares the node of
// its anchor, so a "billion laughs" file costs what it is long, and its
// expansion is counted against the limit. Duplicate keys are reported with
// both positions. Merge keys (`<<`) are ordinary keys: nothing is merged.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/yaml/text_arena.hpp"

namespace pushgate::yaml {

// A position in the source, both 1-based.
struct Mark {
  int line = 0;
  int column = 0;
};

enum class NodeKind : std::uint8_t { null, scalar, sequence, mapping };

using NodeId = std::uint32_t;
inline constexpr NodeId k_no_node = UINT32_MAX;

// A node of a Document, valid as long as its Document: the children are the
// Document's, and so is the text unless it was loaded with TextUse::view.
struct Node {
  NodeKind kind = NodeKind::null;
  bool plain = false;  // an unquoted scalar without explicit tag
  Mark mark;
  std::string_view value;             // scalar text
  std::span<const NodeId> children;   // sequence items; mapping key, value, key, value, ...
};

// One YAML document. Nodes live in one arena; an alias refers to the node of
// its anchor, so the tree is a DAG whose expansion is bounded by Limits.
// Move-only: nodes point into storage that a moved Document keeps.
class Document {
 public:
  Document() = default;
  Document(Document&&) = default;
  Document& operator=(Document&&) = default;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  NodeId root() const { return m_root; }
  Mark start() const { return m_start; }
  const Node& node(NodeId id) const { return m_nodes[id]; }
  // The value for scalar `key` in mapping `map`, or k_no_node.
  NodeId find(NodeId map, std::string_view key) const;
  // Convenience for nested lookups: find(find(find(root, a), b), c).
  NodeId path(std::initializer_list<std::string_view> keys) const;
  // True when the document holds nothing (`---` followed by nothing).
  bool empty() const { return node(m_root).kind == NodeKind::null && node(m_root).value.empty(); }

 private:
  friend class DocumentBuilder;
  std::vector<Node> m_nodes;
  std::vector<NodeId> m_children;  // the children of each collection, one run each
  TextArena m_text;                // scalar values
  NodeId m_root = k_no_node;
  Mark m_start;
};

struct Limits {
  std::size_t depth = 100;               // nested collections
  std::uint64_t alias_expansions = 1000; // nodes that aliases add when expanded
  std::size_t documents = 1000;          // documents per file
};

enum class ProblemKind {
  syntax,          // not YAML (libfyaml's message); the parser stopped here
  depth,           // Limits::depth exceeded; parsing stopped
  aliases,         // Limits::alias_expansions exceeded; parsing stopped
  documents,       // Limits::documents exceeded; parsing stopped
  recursive_alias, // an alias inside the node it refers to
  duplicate_key,   // a mapping key seen twice; `other` is the first one
};

struct Problem {
  ProblemKind kind;
  Mark mark;
  std::string message;
  Mark other;  // for duplicate_key: where the key was first seen
};

struct LoadResult {
  std::vector<Document> documents;  // the documents read before any fatal problem
  std::vector<Problem> problems;
  bool complete = true;  // false when a syntax error or a limit stopped parsing
};

// Whether scalar values are copied into their Document, or may view the
// text they were read from (most do: those on one line without escapes),
// which then must outlive the Documents.
enum class TextUse { copy, view };

// Parses every document of `text`. Never throws for bad input: every failure
// is a Problem. The caller bounds the input size before calling.
LoadResult load(std::string_view text, const Limits& limits, TextUse use = TextUse::copy);

}  // namespace pushgate::yaml
