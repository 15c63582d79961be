#pragma once
// Turns libfyaml parser events into Documents and enforces Limits as the
// events arrive, so a hostile file stops the parse at the first event past a
// limit. Iterative: nesting lives in a heap stack, never on the C++ stack.

#include <libfyaml.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/yaml/yaml_tree.hpp"

namespace pushgate::yaml {

// A place in the text: its byte offset, and its line and column.
struct TextPosition {
  std::size_t pos = 0;
  Mark mark;
  bool operator<(const TextPosition& other) const { return pos < other.pos; }
};

class DocumentBuilder {
 public:
  // A builder keeps its working storage from one text to the next, so a
  // thread that loads many files allocates it once (yaml_tree.cpp).
  DocumentBuilder();
  ~DocumentBuilder();
  DocumentBuilder(const DocumentBuilder&) = delete;
  DocumentBuilder& operator=(const DocumentBuilder&) = delete;

  // Starts on a new text, forgetting the last one. `text` is what the
  // events are parsed from; it, `limits` and `out` must outlive the use of
  // the builder for it (and `text`, with TextUse::view, the documents).
  // Finished documents and problems go to `out`.
  void start(std::string_view text, const Limits& limits, TextUse use, LoadResult& out);

  // Takes one event. Returns false when it crossed a limit: the problem is in
  // `out`, and the caller stops parsing.
  bool take(fy_event& event);

  // Where the last token read ends; 0:0 before the first.
  Mark last_mark() const { return m_last_end.line == 0 ? Mark{} : m_last_end; }

 private:
  // The keys of a mapping too large to scan, by their text (which lives as
  // long as the document).
  using KeyIndex = std::unordered_map<std::string_view, NodeId>;

  // A collection being built. Its children wait on m_pending from `first`
  // on, and move into the node in one allocation when it closes. Most
  // mappings are small: only those too large to scan for a duplicate key
  // allocate a KeyIndex.
  struct Open {
    NodeId id;
    bool mapping;
    std::size_t first;
    std::uint64_t expansions;  // m_expansions when it opened
    std::unique_ptr<KeyIndex> keys;
  };

  // The children of a closed collection in the document's children.
  struct Run {
    NodeId id;
    std::uint32_t first;
    std::uint32_t count;
  };

  // Notes where the last token read ends (nothing when `end` is null).
  void record_end(const fy_mark* end);
  bool start_document(fy_event& event);
  void finish_document();
  // Scalars are most of the events, and a scalar's few steps (value_of,
  // add, attach, complete, the vector's push_back) cost more as calls than
  // as work: flatten inlines them all into it.
  [[gnu::flatten]] bool scalar(fy_event& event);
  // A scalar's value: `in_place` when it is part of m_text, else it is
  // libfyaml's, valid only while its event lives, or m_value's.
  struct ScalarText {
    std::string_view text;
    bool in_place;
  };
  ScalarText value_of(fy_token* token, fy_scalar_style style, const fy_mark* start, const fy_mark* end);
  bool alias(fy_event& event);
  bool open(NodeKind kind, fy_token* anchor, fy_token* tag, fy_token* token);
  void close_top();
  // complete and add run for every node (collections too): always inline,
  // defined (and used) in the .cpp only.
  [[gnu::always_inline]] inline void complete(NodeId id);
  NodeId earlier_key(Open& top, NodeId key);
  NodeId indexed_key(Open& top, NodeId key);
  [[gnu::always_inline]] inline NodeId add(const Node& node, fy_token* anchor);
  void note_anchor(fy_token* anchor, NodeKind kind, NodeId id);
  void attach(NodeId child);
  bool fatal(ProblemKind kind, Mark mark, std::string message);
  Mark node_mark(fy_token* anchor, fy_token* tag, fy_token* token);
  TextPosition after_gap(std::string_view skip) const;

  std::string_view m_text;
  const Limits* m_limits = nullptr;
  TextUse m_use = TextUse::copy;
  LoadResult* m_out = nullptr;
  Document m_doc;
  std::vector<Open> m_stack;
  std::vector<NodeId> m_pending;
  std::vector<Run> m_runs;  // of the open document
  std::unordered_map<std::string, NodeId> m_anchors;
  // Per anchored node: nodes in its subtree with aliases expanded; 0 while
  // it is open. Other nodes need no size: only aliases expand.
  std::unordered_map<NodeId, std::uint64_t> m_anchored_size;
  std::uint64_t m_expansions = 0;  // nodes that aliases added to the document
  Mark m_last_end;            // 1-based end of the last token read
  std::size_t m_last_pos = 0; // its byte offset in m_text
  std::string m_value;        // a literal block scalar's value
};

}  // namespace pushgate::yaml
