#pragma once
// The [k8s.schema] check inside the engine. A custom resource's schema can
// come from a CRD in any file of the tree, so it runs in two steps:
//  1. while each file is parsed, its objects are checked against the
//     configured schemas, and its CRDs are compiled into the tree's own set;
//     objects that no configured schema defines are kept aside;
//  2. when every file was parsed, those objects are checked against the
//     tree's CRDs (their file is parsed again); what no schema defines gets
//     a [k8s.unknown-kind] warning, when schemas are configured at all.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/util/finding.hpp"
#include "validators/manifest.hpp"
#include "validators/schema/object_check.hpp"
#include "validators/schema/schema_set.hpp"

namespace pushgate::schema {

// An object of a checked file that the configured schemas do not define.
struct PendingObject {
  std::size_t ordinal = 0;  // its place among the file's objects, all documents
  std::string api_version;
  std::string kind;
  Lookup lookup = Lookup::unknown_kind;
  int line = 0;
  int column = 0;
};

class SchemaPass {
 public:
  // `base`: the configured schemas; null when there are none.
  explicit SchemaPass(std::shared_ptr<const SchemaSet> base) : m_base(std::move(base)) {}

  // Step 1 for one parsed file; called from several threads at once. The
  // CRDs of every file are collected; objects are checked, and problems of
  // CRDs reported, only when `check` (the file changed).
  void first(const ManifestFile& file, bool check, std::vector<Finding>& out, std::vector<PendingObject>& pending);

  // Step 2: true when `pending` holds an object a CRD of the tree defines,
  // so its file must be parsed again for second().
  bool needs_second(const std::vector<PendingObject>& pending) const;
  // Checks the pending objects of `file` against the tree's CRDs, and
  // reports what is still unknown.
  void second(const ManifestFile& file, const std::vector<PendingObject>& pending, std::vector<Finding>& out) const;
  // Reports the pending objects as unknown, without parsing their file.
  void unknown(const std::string& path, const std::vector<PendingObject>& pending, std::vector<Finding>& out) const;

  // How many CRDs the checked files define.
  std::size_t checked_crd_count() const { return m_checked_crds; }

 private:
  std::shared_ptr<const SchemaSet> m_base;
  std::mutex m_mutex;  // guards m_crd_set and the counts during step 1
  SchemaSet m_crd_set;
  std::size_t m_crds = 0;
  std::size_t m_checked_crds = 0;
};

}  // namespace pushgate::schema
