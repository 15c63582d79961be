#pragma once
// Manifests from files on disk: what `pushgate validate PATH...` checks.

#include <string>
#include <vector>

#include "core/util/glob.hpp"
#include "validators/manifest.hpp"

namespace pushgate {

class DirectorySource : public ManifestSource {
 public:
  // Whether the files of a folder that the globs do not select are kept, as
  // unselected(): `pushgate validate` scans every text file for secrets.
  enum class Unselected { skip, keep };

  // Each argument is a file, taken as named whatever the globs say, or a
  // folder, walked recursively (skipping .git) and filtered by `filter`. A
  // symbolic link in a folder is read as its target, which must be a file
  // inside that folder (else the entry has a `problem`).
  // Paths are reported as the user typed them, without a leading "./".
  // Throws Failure(ErrorCode::usage) naming an argument that does not exist.
  DirectorySource(const std::vector<std::string>& arguments, const PathFilter& filter,
                  Unselected unselected = Unselected::skip);

  const std::vector<ManifestEntry>& entries() const override { return m_entries; }
  // With Unselected::keep, the regular files of the folders walked that are
  // not entries (symbolic links left out), sorted by path; read() reads them.
  const std::vector<ManifestEntry>& unselected() const { return m_unselected; }
  Expected<std::string> read(const ManifestEntry& entry) const override;
  // One open (following a link) that gives the size and the bytes, so
  // neither the walk nor a separate stat looks the path up.
  Expected<BoundedRead> read_within(const ManifestEntry& entry, std::uint64_t limit) const override;

 private:
  std::vector<ManifestEntry> m_entries;
  std::vector<ManifestEntry> m_unselected;
};

}  // namespace pushgate
