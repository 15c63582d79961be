#pragma once
// Runs the validators over a set of manifests: the one engine behind the
// pre-receive hook and `pushgate validate`, so both report the same findings.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/util/finding.hpp"
#include "core/config/repo_config.hpp"
#include "validators/manifest.hpp"
#include "validators/k8s/object_index.hpp"
#include "validators/secrets/secret_report.hpp"
#include "validators/tree/tree_index.hpp"
#include "validators/validator.hpp"

namespace pushgate {

namespace schema {
class SchemaSet;
}
namespace secrets {
class SecretCheck;
}

struct EngineOptions {
  unsigned threads = 1;  // file validation runs on this many threads
  // Stop starting new work after this instant; nullopt runs to the end.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // The tree's files that are not in the source, as an earlier push indexed
  // them; null when the source is the whole tree.
  const TreeIndex* rest = nullptr;
  // Scans every validated file for secrets (`pushgate validate PATH`): the
  // bytes the engine read, on its threads, so a file is read once; null for
  // no scan. Symbolic links are left out (their targets are files too).
  const secrets::SecretCheck* secrets = nullptr;
  // Files that are no manifests, read only for that scan; may be null.
  const std::vector<ManifestEntry>* secrets_only = nullptr;
};

struct Report {
  std::vector<Finding> findings;  // sorted; severities after validate.rules overrides
  std::size_t files_checked = 0;  // files fully validated
  std::size_t files_indexed = 0;  // files in the cross-file index
  std::size_t crds_checked = 0;   // CustomResourceDefinitions in the validated files
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t notes = 0;          // exempted findings (Severity::note)
  bool timed_out = false;         // the deadline passed before all work was done
  ObjectIndex objects;            // what the cross-file checks saw, for TreeIndex::serialize
  secrets::SecretReport secrets;  // what EngineOptions::secrets found, sorted by path
};

class Engine {
 public:
  // The built-in validators, configured by `settings`; objects are checked
  // against `schemas` (validators/schema/schema_sources.hpp) and the CRDs of
  // the tree itself.
  explicit Engine(const ValidateSettings& settings, std::shared_ptr<const schema::SchemaSet> schemas = nullptr);
  ~Engine();

  // Validates the entries of `source` whose paths are in `changed` (all of
  // them when `changed` is null), reads the objects of every entry, and runs
  // the cross-file checks over them and `options.rest`. A file that cannot
  // be read is a [file.read] finding; an entry with a `problem` (a symbolic
  // link that cannot be followed) a [file.symlink] error. Findings of a link
  // are reported under its path, their messages naming its target. With
  // `options.secrets`, the checked files and `options.secrets_only` are
  // scanned for secrets too (a file of those that cannot be read is a
  // [file.read] finding). Files are checked on `options.threads` threads;
  // the report is the same for any thread count. Throws only what a
  // ManifestSource or allocation throws.
  Report run(const ManifestSource& source, const std::vector<std::string>* changed,
             const EngineOptions& options) const;

 private:
  ValidateSettings m_settings;
  std::shared_ptr<const schema::SchemaSet> m_schemas;
  std::vector<std::unique_ptr<FileValidator>> m_file_validators;
  std::vector<std::unique_ptr<TreeValidator>> m_tree_validators;
};

}  // namespace pushgate
