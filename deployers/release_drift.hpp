#pragma once
// The drift of one release folder, wherever it is (this machine or a host):
// the folder as it is now, compared with its snapshot from deploy time and
// with the commit's tree. Metadata decides where it can: an entry whose
// type, permission bits or size changed has changed; one whose modification
// time alone changed has its content compared with the commit's object, so
// a file touched or rewritten with the same bytes is no drift.

#include <functional>
#include <string>

#include "core/util/error.hpp"
#include "deployers/drift.hpp"
#include "deployers/release_snapshot.hpp"
#include "deployers/ssh/release_manifest.hpp"

namespace pushgate {

// Whether the file or symlink at `path` (relative to the release) holds
// `expected`'s object. An Error when it cannot be read.
using ContentCheck = std::function<Expected<bool>(const std::string& path, const ssh::ManifestEntry& expected)>;

// The differences between `now` and what the release should hold: the
// entries of `recorded` (its snapshot at deploy time), or of `tree` (the
// commit's entries) when there is no snapshot (nullptr), which costs a
// content check of every file. Paths in the Drift are prefixed by `place`
// ("host:" for a host of a fleet, "" here). Errors are `same`'s.
Expected<Drift> compare_release(const Snapshot* recorded, const Snapshot& now, const ssh::Manifest& tree,
                                const ContentCheck& same, const std::string& place);

// The ContentCheck for a release folder `dir` on this machine: hashes the
// file (or symlink target) as git would, nothing kept in memory but a block.
ContentCheck local_content_check(std::filesystem::path dir);

}  // namespace pushgate
