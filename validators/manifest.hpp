#pragma once
// What validators look at: one manifest file, its bytes and, when it parsed,
// its YAML documents; and where manifests come from.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/error.hpp"
#include "core/util/read_bounded.hpp"
#include "core/yaml/yaml_tree.hpp"

namespace pushgate {

// One file that the include/exclude globs selected.
struct ManifestEntry {
  // Not an aggregate: most entries are a plain file's path, size and key.
  ManifestEntry(std::string path_ = {}, std::uint64_t size_ = 0, std::string key_ = {})
      : path(std::move(path_)), size(size_), key(std::move(key_)) {}

  std::string path;       // '/'-separated, relative to the tree root
  std::uint64_t size = 0; // bytes, when the source knows them up front; see ManifestSource::read_within
  std::string key;        // content identity (the blob id a GitTreeSource reads); "" when there is none
  // A symbolic link: the file it leads to, whose content is the entry's
  // (validators/tree/tree_links.hpp); "" for a regular file.
  std::string link;
  // Why the entry cannot be validated at all (a link out of the tree,
  // dangling or looping), reported as [file.symlink]; "" when it can.
  std::string problem;
};

// Where manifests come from: a git tree, or files on disk. read() may be
// called from several threads at once.
class ManifestSource {
 public:
  virtual ~ManifestSource() = default;
  // Every selected manifest of the tree, sorted by path.
  virtual const std::vector<ManifestEntry>& entries() const = 0;
  // The content of one entry; an error names the path.
  virtual Expected<std::string> read(const ManifestEntry& entry) const = 0;
  // The content of one entry when it holds at most `limit` bytes, else only
  // its size, so a huge file is refused before it is loaded; an error names
  // the path.
  virtual Expected<BoundedRead> read_within(const ManifestEntry& entry, std::uint64_t limit) const {
    if (std::uint64_t known = size(entry); known > limit) return BoundedRead{known, std::nullopt};
    Expected<std::string> bytes = read(entry);
    if (!bytes) return bytes.error();
    std::uint64_t got = bytes->size();
    if (got > limit) return BoundedRead{got, std::nullopt};
    return BoundedRead{got, std::move(*bytes)};
  }

 protected:
  // The size of one entry in bytes without reading it, for read_within; a
  // source that learns the size as it opens the entry overrides read_within.
  virtual std::uint64_t size(const ManifestEntry& entry) const { return entry.size; }
};

// A manifest as file validators see it. `yaml` is null when the file was not
// parsed at all (too large, binary); otherwise it holds the documents read
// before any fatal problem.
struct ManifestFile {
  const ManifestEntry* entry = nullptr;
  std::string_view bytes;
  const yaml::LoadResult* yaml = nullptr;
  const std::string& path() const { return entry->path; }
};

}  // namespace pushgate
