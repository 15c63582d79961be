#pragma once
// The objects of every manifest of one git tree in a compact form that a
// push saves and the next push loads, so cross-file checks need not read
// the whole tree again: the index of a new tree is the index of a tree seen
// before, minus the files that differ, plus those files read again.
//
// Each object is kept as its identity (identity_of) and position, which is
// all a duplicate finding needs to point at it, and the labels of the pods it
// runs, which is what a Service's or PodDisruptionBudget's selector needs.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/config/repo_config.hpp"
#include "core/util/mapped_file.hpp"
#include "validators/k8s/object_index.hpp"

namespace pushgate {

class TreeIndex {
 public:
  struct Object {
    std::string_view identity;
    int line = 0;
    int column = 0;
    bool runs_pods = false;
    std::string_view pod_labels;  // ObjectRef::pod_labels, when runs_pods
  };
  struct File {
    std::string_view path;
    std::size_t first = 0;  // its objects are objects()[first, first + count)
    std::size_t count = 0;
    bool link = false;  // a symbolic link (ObjectIndex::mark_link)
    std::string_view record;  // its saved form, which the next index copies as it is
  };

  // Reads what serialize() wrote. Nullopt when the bytes are damaged, of
  // another format, or were made under another fingerprint.
  static std::optional<TreeIndex> parse(std::vector<char> bytes, std::string_view fingerprint);
  static std::optional<TreeIndex> parse(MappedFile file, std::string_view fingerprint);

  // The saved form of a whole tree: index.rest() and index.files() together.
  static std::string serialize(std::string_view fingerprint, const ObjectIndex& index);

  // Sorted by path.
  const std::vector<File>& files() const { return m_files; }
  std::span<const Object> objects(const File& file) const {
    return std::span<const Object>(m_objects).subspan(file.first, file.count);
  }

  // The paths of the files that are symbolic links, sorted.
  std::vector<std::string> links() const;

  // The paths of the files that define a CustomResourceDefinition, sorted.
  std::vector<std::string> crd_files() const;

  // Drops the files at `paths` and, for a path ending in '/', every file in
  // that folder.
  void erase(std::vector<std::string> paths);

 private:
  // Reads m_bytes, once m_storage holds them.
  static std::optional<TreeIndex> parse_bytes(TreeIndex index, std::string_view fingerprint);

  std::variant<std::vector<char>, MappedFile> m_storage;
  std::string_view m_bytes;  // m_storage's, which the views point into
  std::vector<File> m_files;
  std::vector<Object> m_objects;
};

// What decides which objects the files of a tree yield: pushgate's version,
// the include and exclude globs and the size and YAML limits. An index made
// under other settings is not used.
std::string index_fingerprint(const ValidateSettings& settings);

}  // namespace pushgate
