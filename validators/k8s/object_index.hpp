#pragma once
// The Kubernetes objects of the manifests of a tree, by file: what cross-file
// checks read. The files read in this run are held here; when the run read
// only part of the tree, the rest comes from the TreeIndex an earlier push
// saved (tree_index.hpp), so a push re-reads only the files it changes.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/yaml/yaml_tree.hpp"
#include "validators/k8s/object_references.hpp"

namespace pushgate {

class TreeIndex;

// Identity of a Kubernetes object, and where it is defined.
struct ObjectRef {
  std::string group;      // API group: "" for core ("v1"), "apps" for "apps/v1"
  std::string kind;
  std::string namespace_; // "" when not set
  std::string name;
  int line = 0;
  int column = 0;
  // The labels of the pods it runs (pod_template.hpp) as encode_labels()
  // gives them; nullopt when it runs none. Saved in the tree index.
  std::optional<std::string> pod_labels = {};
  // What it points at, for the cross-file checks; not saved in the index,
  // since only the files a push changes are checked for these.
  std::vector<ObjectReference> references = {};
};

// The objects of one YAML document; `kind: List` contributes its items. Only
// objects with kind and metadata.name are returned.
std::vector<ObjectRef> objects_of(const yaml::Document& doc);

// Group, kind, effective namespace and name joined by NUL (which no valid
// key holds): equal exactly when applying both objects would let one replace
// the other. A cluster-scoped kind (k8s_kinds.hpp) has no namespace whatever
// metadata.namespace says; any other object without one is in "default",
// where kubectl puts it when no namespace is given on its command line.
std::string identity_of(const ObjectRef& object);

// identity_of(object) appended to `out`: a check that looks at every object
// of a large tree reuses one buffer instead of a string per object.
void append_identity(std::string& out, const ObjectRef& object);

class ObjectIndex {
 public:
  // `rest`: the tree's other files, none of them changed; it must outlive
  // this index and hold none of the paths add() is given.
  explicit ObjectIndex(const TreeIndex* rest = nullptr) : m_rest(rest) {}
  // Moved, never copied: the changed and link sets view the keys of files().
  ObjectIndex(ObjectIndex&&) = default;
  ObjectIndex& operator=(ObjectIndex&&) = default;
  ObjectIndex(const ObjectIndex&) = delete;
  ObjectIndex& operator=(const ObjectIndex&) = delete;

  void add(const std::string& path, std::vector<ObjectRef> objects, bool changed);
  // The file at `path` (added already) is a symbolic link: its objects are
  // its target's, so it is read again whenever the tree changes.
  void mark_link(const std::string& path);
  bool is_link(std::string_view path) const { return m_links.contains(path); }
  // A file of the tree could not be read, so this index lacks its objects.
  void mark_incomplete() { m_complete = false; }

  // The files read in this run: path -> objects, sorted by path.
  const std::map<std::string, std::vector<ObjectRef>>& files() const { return m_files; }
  bool is_changed(std::string_view path) const { return m_changed.contains(path); }
  // The rest of the tree, or null when files() is the whole tree.
  const TreeIndex* rest() const { return m_rest; }
  bool complete() const { return m_complete; }
  // Files in the whole tree: files() and rest().
  std::size_t file_count() const;

 private:
  const TreeIndex* m_rest;
  std::map<std::string, std::vector<ObjectRef>> m_files;
  // Keys of m_files, whose nodes stay put: no second copy of each path.
  std::unordered_set<std::string_view> m_changed;
  std::unordered_set<std::string_view> m_links;
  bool m_complete = true;
};

}  // namespace pushgate
