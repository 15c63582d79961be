#include "core/yaml/yaml_tree.hpp"

#include <memory>

#include "core/yaml/document_builder.hpp"
#include "core/yaml/event_parser.hpp"

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

// Each thread keeps one builder, and with it the capacity of its storage,
// from one text to the next: a worker loads thousands of files.
thread_local std::unique_ptr<DocumentBuilder> t_idle;

// Lends the thread's builder (a new one when a load on this thread is
// already using it) and gives it back.
class BuilderLease {
 public:
  BuilderLease() : m_builder(t_idle ? std::move(t_idle) : std::make_unique<DocumentBuilder>()) {}
  ~BuilderLease() { t_idle = std::move(m_builder); }
  BuilderLease(const BuilderLease&) = delete;
  BuilderLease& operator=(const BuilderLease&) = delete;
  DocumentBuilder* operator->() const { return m_builder.get(); }

 private:
  std::unique_ptr<DocumentBuilder> m_builder;
};

}  // namespace

LoadResult load(std::string_view text, const Limits& limits, TextUse use) {
  LoadResult out;
  EventParser parser(text);
  BuilderLease builder;
  builder->start(text, limits, use, out);
  while (FyEvent event = parser.next()) {
    if (!builder->take(*event)) {
      out.complete = false;
      return out;
    }
  }
  if (auto error = parser.error()) {
    out.complete = false;
    Mark at = error->mark.line ? error->mark : builder->last_mark();
    out.problems.push_back({ProblemKind::syntax, at, std::move(error->message), {}});
  }
  return out;
}

}  // namespace pushgate::yaml
