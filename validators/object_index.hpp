#pragma once
// The Kubernetes objects of every manifest in a tree, by file: what
// cross-file checks read. Built incrementally: a file's objects depend only
// on its content, so they are cached by blob id and a push re-reads only the
// files it changes.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "core/yaml_tree.hpp"

namespace pushgate {

// Identity of a Kubernetes object, and where it is defined.
struct ObjectRef {
  std::string group;      // API group: "" for core ("v1"), "apps" for "apps/v1"
  std::string kind;
  std::string namespace_; // "" when not set
  std::string name;
  int line = 0;
  int column = 0;
};

// The objects of one YAML document; `kind: List` contributes its items. Only
// objects with kind and metadata.name are returned.
std::vector<ObjectRef> objects_of(const yaml::Document& doc);

class ObjectIndex {
 public:
  void add(const std::string& path, std::vector<ObjectRef> objects, bool changed);
  // path -> objects, sorted by path.
  const std::map<std::string, std::vector<ObjectRef>>& files() const { return m_files; }
  bool is_changed(const std::string& path) const;

 private:
  std::map<std::string, std::vector<ObjectRef>> m_files;
  std::unordered_map<std::string, bool> m_changed;
};

// Objects by content key (blob id), persisted in one journal file: a push
// appends the few entries it adds instead of rewriting the whole cache. Load
// and save never fail the caller: a missing or unreadable cache is an empty
// cache, and a damaged entry is just not cached.
class ObjectCache {
 public:
  // Reads `file` if it exists and has this format's header.
  static ObjectCache load(const std::string& file);
  const std::vector<ObjectRef>* find(const std::string& key) const;
  void put(const std::string& key, std::vector<ObjectRef> objects);
  // Keeps only the keys in `live`, so the cache does not grow without bound.
  void retain(const std::vector<std::string>& live);
  // Appends what put() added since load() with one O_APPEND write, so
  // concurrent pushes never interleave inside an entry; after retain(), or
  // when there is no file yet, writes a whole new file and renames it over
  // `file`, so readers see the old or the new cache, never half of one.
  Expected<bool> save(const std::string& file);
  bool dirty() const { return m_compact || !m_added.empty(); }
  std::size_t size() const { return m_entries.size(); }

 private:
  std::unordered_map<std::string, std::vector<ObjectRef>> m_entries;
  std::vector<std::string> m_added;  // keys put() since load or the last save
  bool m_compact = false;            // the file must be rewritten whole
};

}  // namespace pushgate
