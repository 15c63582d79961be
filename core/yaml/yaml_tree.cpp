#include "core/yaml/yaml_tree.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <fmt/format.h>

#include <istream>
#include <streambuf>
#include <unordered_map>

namespace pushgate::yaml {

NodeId Document::find(NodeId map, std::string_view key) const {
  if (map == k_no_node || m_nodes[map].kind != NodeKind::mapping) return k_no_node;
  const auto& kids = m_nodes[map].children;
  for (std::size_t i = 0; i + 1 < kids.size(); i += 2) {
    const Node& k = m_nodes[kids[i]];
    if (k.kind == NodeKind::scalar && k.value == key) return kids[i + 1];
  }
  return k_no_node;
}

NodeId Document::path(std::initializer_list<std::string_view> keys) const {
  NodeId at = m_root;
  for (auto key : keys) at = find(at, key);
  return at;
}

namespace {

// Reads a string_view as an istream without copying it.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view text) {
    char* p = const_cast<char*>(text.data());
    setg(p, p, p + text.size());
  }
};

// Thrown from the event handler to stop yaml-cpp's recursive descent as soon
// as a limit is crossed, before it can recurse or allocate further.
struct Stop {};

// yaml-cpp marks are 0-based and -1 when unknown; ours are 1-based, 0 when unknown.
Mark to_mark(const YAML::Mark& m) {
  return m.line < 0 ? Mark{} : Mark{m.line + 1, m.column + 1};
}

}  // namespace

// Turns parser events into Documents, enforcing Limits as events arrive.
class Builder : public YAML::EventHandler {
 public:
  Builder(const Limits& limits, LoadResult& out) : m_limits(limits), m_out(out) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (m_out.documents.size() >= m_limits.documents) {
      fatal(ProblemKind::documents, to_mark(mark),
            fmt::format("more than {} documents in one file (limit validate.limits.documents)",
                        m_limits.documents));
    }
    m_doc = Document{};
    m_doc.m_start = to_mark(mark);
    m_anchors.clear();
    m_closed.clear();
    m_size.clear();
    m_expansions = 0;
  }

  void OnDocumentEnd() override { m_out.documents.push_back(std::move(m_doc)); }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    NodeId id = add(NodeKind::null, mark, anchor);
    close(id);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = m_anchors.find(anchor);
    if (it == m_anchors.end()) {
      fatal(ProblemKind::syntax, to_mark(mark), "alias to an unknown anchor");
    }
    NodeId target = it->second;
    if (!m_closed[target]) {
      m_out.problems.push_back({ProblemKind::recursive_alias, to_mark(mark),
                                "alias refers to the node that contains it", {}});
      OnNull(mark, 0);
      return;
    }
    m_expansions += m_size[target];
    if (m_expansions > m_limits.alias_expansions) {
      fatal(ProblemKind::aliases, to_mark(mark),
            fmt::format("aliases expand to more than {} nodes (limit validate.limits.aliases)",
                        m_limits.alias_expansions));
    }
    attach(target);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    NodeId id = add(NodeKind::scalar, mark, anchor);
    Node& n = m_doc.m_nodes[id];
    n.value = value;
    n.plain = tag == "?";
    close(id);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(add(NodeKind::sequence, mark, anchor), mark);
  }
  void OnSequenceEnd() override { close_top(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(add(NodeKind::mapping, mark, anchor), mark);
  }
  void OnMapEnd() override { close_top(); }

  // Where the innermost open collection starts; no mark when none is open.
  Mark innermost() const {
    return m_stack.empty() ? Mark{} : m_doc.m_nodes[m_stack.back().id].mark;
  }

 private:
  // A collection being built. Mappings remember their keys to find
  // duplicates: small ones by scanning, large ones through a hash map.
  struct Open {
    static constexpr std::size_t k_scan_limit = 16;
    NodeId id;
    std::unordered_map<std::string, NodeId> keys;

    // Returns the earlier key node with the same text as `key`, or k_no_node.
    NodeId remember_key(const Document& doc, NodeId key) {
      const auto& kids = doc.m_nodes[id].children;
      const std::string& text = doc.m_nodes[key].value;
      std::size_t count = (kids.size() + 1) / 2;
      if (count <= k_scan_limit) {
        for (std::size_t i = 0; i + 2 < kids.size(); i += 2) {
          const Node& k = doc.m_nodes[kids[i]];
          if (k.kind == NodeKind::scalar && k.value == text) return kids[i];
        }
        return k_no_node;
      }
      if (keys.empty()) {
        for (std::size_t i = 0; i + 2 < kids.size(); i += 2) {
          const Node& k = doc.m_nodes[kids[i]];
          if (k.kind == NodeKind::scalar) keys.emplace(k.value, kids[i]);
        }
      }
      auto [it, inserted] = keys.emplace(text, key);
      return inserted ? k_no_node : it->second;
    }
  };

  [[noreturn]] void fatal(ProblemKind kind, Mark mark, std::string message) {
    m_out.problems.push_back({kind, mark, std::move(message), {}});
    throw Stop{};
  }

  NodeId add(NodeKind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    auto id = static_cast<NodeId>(m_doc.m_nodes.size());
    Node n;
    n.kind = kind;
    n.mark = to_mark(mark);
    m_doc.m_nodes.push_back(std::move(n));
    m_closed.resize(id + 1, false);
    m_size.resize(id + 1, 1);
    if (anchor) m_anchors[anchor] = id;
    attach(id);
    return id;
  }

  // Adds `child` to the open collection, or makes it the root.
  void attach(NodeId child) {
    if (m_stack.empty()) {
      m_doc.m_root = child;
      return;
    }
    m_doc.m_nodes[m_stack.back().id].children.push_back(child);
  }

  void open(NodeId id, const YAML::Mark& mark) {
    if (m_stack.size() >= m_limits.depth) {
      fatal(ProblemKind::depth, to_mark(mark),
            fmt::format("nesting deeper than {} levels (limit validate.limits.depth)",
                        m_limits.depth));
    }
    m_stack.push_back({id, {}});
  }

  void close(NodeId id) {
    m_closed[id] = true;
    if (m_stack.empty()) return;
    Open& top = m_stack.back();
    const Node& parent = m_doc.m_nodes[top.id];
    if (parent.kind != NodeKind::mapping || parent.children.size() % 2 == 0) return;
    // `id` was just attached as a key.
    const Node& key = m_doc.m_nodes[id];
    if (key.kind != NodeKind::scalar || parent.children.back() != id) return;
    NodeId earlier = top.remember_key(m_doc, id);
    if (earlier != k_no_node) {
      const Node& first = m_doc.m_nodes[earlier];
      m_out.problems.push_back(
          {ProblemKind::duplicate_key, key.mark,
           fmt::format("duplicate key '{}' on line {} (first defined on line {}, column {})",
                       key.value, key.mark.line, first.mark.line, first.mark.column),
           first.mark});
    }
  }

  void close_top() {
    NodeId id = m_stack.back().id;
    m_stack.pop_back();
    std::uint64_t total = 1;
    for (NodeId c : m_doc.m_nodes[id].children) total += m_size[c];
    m_size[id] = total;
    close(id);
  }

  const Limits& m_limits;
  LoadResult& m_out;
  Document m_doc;
  std::vector<Open> m_stack;
  std::vector<bool> m_closed;
  std::vector<std::uint64_t> m_size;  // nodes in the subtree, aliases expanded
  std::unordered_map<YAML::anchor_t, NodeId> m_anchors;
  std::uint64_t m_expansions = 0;
};

LoadResult load(std::string_view text, const Limits& limits) {
  LoadResult out;
  ViewBuffer buffer(text);
  std::istream in(&buffer);
  Builder builder(limits, out);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const Stop&) {
    out.complete = false;
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp has its own nesting limit (about 500 levels), below the
    // highest validate.limits.depth; without this it reports "bad file".
    out.complete = false;
    Mark at = builder.innermost();
    out.problems.push_back({ProblemKind::depth, at.line ? at : to_mark(e.mark),
                            "nesting deeper than the YAML parser supports (about 500 levels)", {}});
  } catch (const YAML::Exception& e) {
    out.complete = false;
    out.problems.push_back({ProblemKind::syntax, to_mark(e.mark), e.msg, {}});
  }
  return out;
}

}  // namespace pushgate::yaml
