#include "core/yaml/document_builder.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/yaml/literal_block.hpp"

namespace pushgate::yaml {

namespace {

// Mappings up to this many keys find duplicates by scanning their keys.
constexpr std::size_t k_scan_limit = 16;

// A first guess at the nodes of a file's first document, from its size:
// Kubernetes manifests hold about one node per 16 bytes. Later documents
// start from their predecessor's size. Growing the node vector by doubling
// instead costs a tenth of the load time.
constexpr std::size_t k_bytes_per_node = 16;
constexpr std::size_t k_max_first_guess = 4096;
// Scalar text of a typical manifest fits in the arena's first block.
constexpr std::size_t k_max_text_block = 4096;
constexpr std::size_t k_typical_depth = 16;
constexpr std::size_t k_typical_pending = 64;

Mark to_mark(const fy_mark& m) { return {m.line + 1, m.column + 1}; }

// A token's start as the user sees it. libfyaml starts anchors, aliases and
// quoted scalars after their `&`, `*` or opening quote.
TextPosition start_at(const fy_mark& m, bool sigil) {
  TextPosition start{m.input_pos, to_mark(m)};
  if (sigil && start.mark.column > 1) {
    --start.pos;
    --start.mark.column;
  }
  return start;
}

bool quoted(fy_scalar_style style) { return style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED; }
bool block(fy_scalar_style style) { return style == FYSS_LITERAL || style == FYSS_FOLDED; }

TextPosition start_of(fy_token* token) {
  const fy_mark* m = fy_token_start_mark(token);
  if (!m) return {0, {}};
  fy_token_type type = fy_token_get_type(token);
  return start_at(*m, type == FYTT_ANCHOR || type == FYTT_ALIAS ||
                          (type == FYTT_SCALAR && quoted(fy_token_scalar_style(token))));
}

std::string_view text_of(fy_token* token) {
  std::size_t length = 0;
  const char* text = token ? fy_token_get_text(token, &length) : nullptr;
  return text ? std::string_view(text, length) : std::string_view();
}

// The plain scalars that YAML's core schema reads as null.
bool is_null(std::string_view plain) {
  return plain.empty() || plain == "~" || plain == "null" || plain == "Null" || plain == "NULL";
}

}  // namespace

DocumentBuilder::DocumentBuilder() {
  // Enough for a typical manifest, so that small files do not grow these
  // step by step.
  m_stack.reserve(k_typical_depth);
  m_pending.reserve(k_typical_pending);
}

DocumentBuilder::~DocumentBuilder() = default;

void DocumentBuilder::start(std::string_view text, const Limits& limits, TextUse use, LoadResult& out) {
  m_text = text;
  m_limits = &limits;
  m_use = use;
  m_out = &out;
  m_stack.clear();
  m_pending.clear();
  m_last_end = {};
  m_last_pos = 0;
}

bool DocumentBuilder::take(fy_event& event) {
  bool go_on = true;
  fy_token* token = nullptr;  // a collection event's own token
  switch (event.type) {
    case FYET_DOCUMENT_START: go_on = start_document(event); break;
    case FYET_DOCUMENT_END: finish_document(); break;
    case FYET_SCALAR: return scalar(event);  // it records its own end
    case FYET_ALIAS: go_on = alias(event); break;
    case FYET_SEQUENCE_START: {
      const auto& s = event.sequence_start;
      go_on = open(NodeKind::sequence, s.anchor, s.tag, token = s.sequence_start);
      break;
    }
    case FYET_MAPPING_START: {
      const auto& m = event.mapping_start;
      go_on = open(NodeKind::mapping, m.anchor, m.tag, token = m.mapping_start);
      break;
    }
    case FYET_SEQUENCE_END: token = event.sequence_end.sequence_end; close_top(); break;
    case FYET_MAPPING_END: token = event.mapping_end.mapping_end; close_top(); break;
    default: break;
  }
  // An event ends where its token does (fy_event_end_mark asks the token
  // after a switch of its own): collections, most events after scalars, ask
  // it directly.
  record_end(token ? fy_token_end_mark(token) : fy_event_end_mark(&event));
  return go_on;
}

void DocumentBuilder::record_end(const fy_mark* end) {
  if (!end) return;
  m_last_end = to_mark(*end);
  m_last_pos = end->input_pos;
}

bool DocumentBuilder::start_document(fy_event& event) {
  // An implicit document has no `---`: it starts where its first node does.
  const fy_mark* start = fy_event_start_mark(&event);
  Mark mark = start ? to_mark(*start) : Mark{};
  if (m_out->documents.size() >= m_limits->documents) {
    return fatal(ProblemKind::documents, mark.line ? mark : last_mark(),
                 fmt::format("more than {} documents in one file (limit validate.limits.documents)",
                             m_limits->documents));
  }
  std::size_t guess = m_out->documents.empty()
                          ? std::min(m_text.size() / k_bytes_per_node, k_max_first_guess)
                          : m_out->documents.back().m_nodes.size();
  m_doc = Document{};
  m_doc.m_nodes.reserve(guess);
  m_doc.m_children.reserve(guess);
  m_doc.m_text.expect(std::min(m_text.size(), k_max_text_block));
  m_runs.clear();
  m_doc.m_start = mark;
  m_anchors.clear();
  m_anchored_size.clear();
  m_expansions = 0;
  return true;
}

// Children are gathered in one vector, which grows while the document is
// read: their spans are set once it is complete.
void DocumentBuilder::finish_document() {
  const NodeId* children = m_doc.m_children.data();
  for (const Run& run : m_runs) m_doc.m_nodes[run.id].children = {children + run.first, run.count};
  m_out->documents.push_back(std::move(m_doc));
}

bool DocumentBuilder::scalar(fy_event& event) {
  const auto& s = event.scalar;
  // Each libfyaml call once: scalars are most of the nodes.
  fy_token* token = s.value;
  fy_scalar_style style = token ? fy_token_scalar_style(token) : FYSS_PLAIN;
  const fy_mark* start = token ? fy_token_start_mark(token) : nullptr;
  const fy_mark* end = token ? fy_token_end_mark(token) : nullptr;
  ScalarText value = value_of(token, style, start, end);
  bool plain = !s.tag && style == FYSS_PLAIN;
  NodeKind kind = plain && is_null(value.text) ? NodeKind::null : NodeKind::scalar;
  Mark mark = s.anchor || s.tag || !start || block(style) ? node_mark(s.anchor, s.tag, token)
                                                          : start_at(*start, quoted(style)).mark;
  Node node{kind, false, mark, {}, {}};
  if (kind == NodeKind::scalar) {
    node.value = m_use == TextUse::view && value.in_place ? value.text : m_doc.m_text.keep(value.text);
    node.plain = plain;
  }
  NodeId id = add(node, s.anchor);
  complete(id);
  record_end(end);  // the event's end is its token's, which is at hand here
  return true;
}

// libfyaml builds most scalar values in a buffer of its own, which costs a
// tenth of the load time. A flow scalar on one line is the text of its token
// unless it has escapes (a backslash in double quotes, `''` in single quotes): it
// is read in place. Multi-line scalars are folded, and block scalars lose
// their indentation: libfyaml builds those, but for the common literal
// block scalars, which read_literal_block reads here.
DocumentBuilder::ScalarText DocumentBuilder::value_of(fy_token* token, fy_scalar_style style, const fy_mark* start,
                                                      const fy_mark* end) {
  if (style == FYSS_LITERAL && start && end && read_literal_block(m_text, start->input_pos, end->input_pos, m_value))
    return {m_value, false};
  if (block(style) || !start || !end || start->line != end->line || start->input_pos > end->input_pos ||
      end->input_pos > m_text.size())
    return {text_of(token), false};
  std::string_view raw = m_text.substr(start->input_pos, end->input_pos - start->input_pos);
  if (style == FYSS_PLAIN || raw.find(style == FYSS_DOUBLE_QUOTED ? '\\' : '\'') == std::string_view::npos)
    return {raw, true};
  return {text_of(token), false};
}

bool DocumentBuilder::alias(fy_event& event) {
  fy_token* token = event.alias.anchor;
  std::string_view name = text_of(token);
  Mark mark = node_mark(nullptr, nullptr, token);
  auto it = m_anchors.find(std::string(name));
  if (it == m_anchors.end()) {
    return fatal(ProblemKind::syntax, mark,
                 fmt::format("alias '*{0}' has no anchor '&{0}' before it in its document "
                             "(anchors do not carry over from one document to the next)",
                             name));
  }
  NodeId target = it->second;
  std::uint64_t size = m_anchored_size[target];
  if (size == 0) {
    m_out->problems.push_back({ProblemKind::recursive_alias, mark,
                               "alias refers to the node that contains it", {}});
    complete(add({NodeKind::null, false, mark, {}, {}}, nullptr));
    return true;
  }
  m_expansions += size;
  if (m_expansions > m_limits->alias_expansions) {
    return fatal(ProblemKind::aliases, mark,
                 fmt::format("aliases expand to more than {} nodes (limit validate.limits.aliases)",
                             m_limits->alias_expansions));
  }
  attach(target);
  return true;
}

bool DocumentBuilder::open(NodeKind kind, fy_token* anchor, fy_token* tag, fy_token* token) {
  Mark mark = node_mark(anchor, tag, token);
  if (m_stack.size() >= m_limits->depth) {
    return fatal(ProblemKind::depth, mark,
                 fmt::format("nesting deeper than {} levels (limit validate.limits.depth)",
                             m_limits->depth));
  }
  NodeId id = add({kind, false, mark, {}, {}}, anchor);
  m_stack.push_back({id, kind == NodeKind::mapping, m_pending.size(), m_expansions, nullptr});
  return true;
}

void DocumentBuilder::close_top() {
  const Open& top = m_stack.back();
  NodeId id = top.id;
  // Its nodes are the ones made since it opened; the aliases among its
  // children add what they expand to.
  if (!m_anchored_size.empty())
    if (auto anchored = m_anchored_size.find(id); anchored != m_anchored_size.end())
      anchored->second = (m_doc.m_nodes.size() - id) + (m_expansions - top.expansions);
  auto first = m_pending.begin() + static_cast<std::ptrdiff_t>(top.first);
  m_runs.push_back({id, static_cast<std::uint32_t>(m_doc.m_children.size()),
                    static_cast<std::uint32_t>(m_pending.end() - first)});
  m_doc.m_children.insert(m_doc.m_children.end(), first, m_pending.end());
  m_pending.erase(first, m_pending.end());
  m_stack.pop_back();
  complete(id);
}

// When `id`, just complete, was attached as a key of the open mapping,
// checks that key for duplicates.
void DocumentBuilder::complete(NodeId id) {
  if (m_stack.empty()) return;
  Open& top = m_stack.back();
  // Keys are the children at even places: an odd count ends with a key.
  if (!top.mapping || (m_pending.size() - top.first) % 2 == 0 || m_pending.back() != id) return;
  const Node& key = m_doc.m_nodes[id];
  if (key.kind != NodeKind::scalar) return;
  NodeId earlier = earlier_key(top, id);
  if (earlier == k_no_node) return;
  const Node& first = m_doc.m_nodes[earlier];
  m_out->problems.push_back(
      {ProblemKind::duplicate_key, key.mark,
       fmt::format("duplicate key '{}' on line {} (first defined on line {}, column {})", key.value,
                   key.mark.line, first.mark.line, first.mark.column),
       first.mark});
}

// The earlier key node of `top` with the same text as `key` (its last key),
// or k_no_node.
NodeId DocumentBuilder::earlier_key(Open& top, NodeId key) {
  std::string_view text = m_doc.m_nodes[key].value;
  std::size_t end = m_pending.size() - 1;
  if ((end - top.first) / 2 >= k_scan_limit) return indexed_key(top, key);
  for (std::size_t i = top.first; i < end; i += 2) {
    const Node& k = m_doc.m_nodes[m_pending[i]];
    // Most keys differ from the new one in length or first byte: only the
    // others are compared whole.
    if (k.kind == NodeKind::scalar && k.value.size() == text.size() && (text.empty() || k.value[0] == text[0]) &&
        k.value == text)
      return m_pending[i];
  }
  return k_no_node;
}

// earlier_key() for a mapping past k_scan_limit keys: its index holds the
// first node of each key text, built from the keys before on first use.
NodeId DocumentBuilder::indexed_key(Open& top, NodeId key) {
  if (!top.keys) {
    top.keys = std::make_unique<KeyIndex>();
    for (std::size_t i = top.first; i + 1 < m_pending.size(); i += 2) {
      const Node& k = m_doc.m_nodes[m_pending[i]];
      if (k.kind == NodeKind::scalar) top.keys->emplace(k.value, m_pending[i]);
    }
  }
  auto [it, inserted] = top.keys->emplace(m_doc.m_nodes[key].value, key);
  return inserted ? k_no_node : it->second;
}

NodeId DocumentBuilder::add(const Node& node, fy_token* anchor) {
  auto id = static_cast<NodeId>(m_doc.m_nodes.size());
  m_doc.m_nodes.push_back(node);
  if (m_doc.m_start.line == 0) m_doc.m_start = node.mark;
  if (anchor) note_anchor(anchor, node.kind, id);
  attach(id);
  return id;
}

void DocumentBuilder::note_anchor(fy_token* anchor, NodeKind kind, NodeId id) {
  m_anchors.insert_or_assign(std::string(text_of(anchor)), id);
  bool open = kind == NodeKind::sequence || kind == NodeKind::mapping;
  m_anchored_size[id] = open ? 0 : 1;
}

// Adds `child` to the open collection, or makes it the root.
void DocumentBuilder::attach(NodeId child) {
  if (m_stack.empty())
    m_doc.m_root = child;
  else
    m_pending.push_back(child);
}

bool DocumentBuilder::fatal(ProblemKind kind, Mark mark, std::string message) {
  m_out->problems.push_back({kind, mark, std::move(message), {}});
  return false;
}

// Where a node starts as the user wrote it: at its anchor or tag when it has
// them (they come first), else at its own token.
Mark DocumentBuilder::node_mark(fy_token* anchor, fy_token* tag, fy_token* token) {
  if (anchor && tag) return std::min(start_of(anchor), start_of(tag)).mark;
  if (anchor || tag) return start_of(anchor ? anchor : tag).mark;
  if (!token) {
    // An empty node (`kind:` with no value, a bare `-`) has no token: it is
    // reported at the indicator before it, on its own line rather than where
    // the next node starts. The next empty node looks after that indicator,
    // so a run of them reads each gap once.
    TextPosition indicator = after_gap("");
    if (indicator.pos < m_text.size()) {
      m_last_pos = indicator.pos + 1;
      m_last_end = {indicator.mark.line, indicator.mark.column + 1};
    }
    return indicator.mark;
  }
  // A block scalar's token starts on the line after its header: the user
  // looks for the `|` or `>`.
  if (fy_token_get_type(token) == FYTT_SCALAR && block(fy_token_scalar_style(token))) return after_gap(":-?,").mark;
  return start_of(token).mark;
}

// The first character after the last token that is neither white space, nor
// a comment, nor one of `skip`; at the end of the text when there is none.
TextPosition DocumentBuilder::after_gap(std::string_view skip) const {
  TextPosition at{m_last_pos, last_mark()};
  for (; at.mark.line && at.pos < m_text.size(); ++at.pos) {
    char c = m_text[at.pos];
    if (c == '#') {
      at.pos = std::min(m_text.find('\n', at.pos), m_text.size()) - 1;
    } else if (c == '\n') {
      ++at.mark.line;
      at.mark.column = 1;
    } else if (c == ' ' || c == '\t' || c == '\r' || skip.find(c) != std::string_view::npos) {
      ++at.mark.column;
    } else {
      break;
    }
  }
  return at;
}

}  // namespace pushgate::yaml
