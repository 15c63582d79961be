#pragma once
// The validator interfaces. A FileValidator looks at one manifest at a time
// (syntax, Kubernetes structure; next: schemas, policy rules, secret
// scanning). A TreeValidator looks across all manifests of the tree through
// the ObjectIndex (duplicate objects; next: cross references). Commit-level
// checks (signed commits) will get their own interface when they come.

#include <string_view>
#include <vector>

#include "core/util/finding.hpp"
#include "core/config/repo_config.hpp"
#include "validators/manifest.hpp"
#include "validators/k8s/object_index.hpp"

namespace pushgate {

class FileValidator {
 public:
  virtual ~FileValidator() = default;
  // Appends findings about `file` to `out`. Must be safe to call from several
  // threads at once on different files.
  virtual void check(const ManifestFile& file, std::vector<Finding>& out) const = 0;
};

class TreeValidator {
 public:
  virtual ~TreeValidator() = default;
  // Appends findings about the whole tree: `index` holds the files read in
  // this run and, in index.rest(), the others. Findings are reported only at
  // paths for which `index.is_changed(path)` holds, so a push is not blamed
  // for what it did not touch.
  virtual void check(const ObjectIndex& index, std::vector<Finding>& out) const = 0;
};

}  // namespace pushgate
