#include "validators/k8s/object_index.hpp"

#include "validators/k8s/k8s_kinds.hpp"
#include "validators/k8s/k8s_object.hpp"
#include "validators/k8s/pod_template.hpp"
#include "validators/tree/tree_index.hpp"

namespace pushgate {

namespace {

using yaml::NodeId;

// Appends the identity of `object` when it has a kind and a name; the
// position is the name's, which is what a person changes to fix a duplicate.
void add_object(const yaml::Document& doc, NodeId object, std::vector<ObjectRef>& out) {
  std::string_view kind = scalar_text(doc, doc.find(object, "kind"));
  NodeId metadata = doc.find(object, "metadata");
  NodeId name = doc.find(metadata, "name");
  std::string_view name_text = scalar_text(doc, name);
  if (kind.empty() || name_text.empty()) return;
  ObjectRef ref;
  ref.group = api_group(scalar_text(doc, doc.find(object, "apiVersion")));
  ref.kind = kind;
  ref.namespace_ = scalar_text(doc, doc.find(metadata, "namespace"));
  ref.name = name_text;
  ref.line = doc.node(name).mark.line;
  ref.column = doc.node(name).mark.column;
  if (auto pod = pod_template(doc, object)) ref.pod_labels = encode_labels(doc, doc.find(pod->metadata, "labels"));
  add_references(doc, object, ref.references);
  out.push_back(std::move(ref));
}

}  // namespace

std::vector<ObjectRef> objects_of(const yaml::Document& doc) {
  std::vector<ObjectRef> out;
  for (NodeId object : object_nodes(doc)) add_object(doc, object, out);
  return out;
}

std::string identity_of(const ObjectRef& o) {
  std::string id;
  id.reserve(o.group.size() + o.kind.size() + o.namespace_.size() + o.name.size() + 10);  // "default" at most
  append_identity(id, o);
  return id;
}

void append_identity(std::string& out, const ObjectRef& o) {
  // Every branch must be a string_view: mixing in the std::string member
  // would make the whole expression a temporary string and leave ns dangling.
  std::string_view ns = is_cluster_scoped(o.kind)  ? std::string_view()
                        : o.namespace_.empty()     ? std::string_view("default")
                                                   : std::string_view(o.namespace_);
  out.append(o.group).append(1, '\0').append(o.kind).append(1, '\0').append(ns).append(1, '\0').append(o.name);
}

void ObjectIndex::add(const std::string& path, std::vector<ObjectRef> objects, bool changed) {
  // Files come in path order: the hint makes each insertion constant time.
  auto file = m_files.insert_or_assign(m_files.end(), path, std::move(objects));
  if (changed) m_changed.insert(file->first);
}

void ObjectIndex::mark_link(const std::string& path) {
  if (auto file = m_files.find(path); file != m_files.end()) m_links.insert(file->first);
}

std::size_t ObjectIndex::file_count() const {
  return m_files.size() + (m_rest ? m_rest->files().size() : 0);
}

}  // namespace pushgate
