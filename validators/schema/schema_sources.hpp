#pragma once
// The schemas that validate.schemas names, compiled once into SchemaSet's
// compact form and kept in a cache file beside the config, so a push reads
// one small file instead of parsing megabytes of JSON. The cache starts with
// the size, modification time and inode of every source file it was made
// from, and is made again when one of them changes.
//
// A source is an OpenAPI v2 or v3 document (a .json file), or a file or a
// folder (walked) of YAML manifests whose CustomResourceDefinitions are used.

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config/repo_config.hpp"
#include "core/util/error.hpp"
#include "validators/schema/schema_set.hpp"

namespace pushgate::schema {

// The cache file of the repository config in `git_dir`.
inline constexpr const char* k_schema_cache_name = "pushgate-schemas.cache";

// Whose files are believed. On a server (`owner` set) every source and the
// cache must be trusted files of root or `owner` (core/util/trusted_file.hpp),
// and the cache is written only by root or `owner`, so that it stays trusted.
// A developer's `pushgate validate --config FILE` believes its own files.
struct SchemaTrust {
  std::optional<uid_t> owner;
};

struct LoadedSchemas {
  std::shared_ptr<const SchemaSet> set;  // null when settings.schemas is empty
  bool compiled = false;                 // the cache was missing or stale and was rebuilt
  bool cache_written = false;            // ... and the new one was saved
  std::vector<std::string> files;        // the source files, in the order they were read
};

// The compiled schemas of `settings.schemas`: from `cache` when it is fresh,
// else compiled from the sources (and saved to `cache` when this process
// may). An Error (ErrorCode::config) names the source that cannot be read,
// is not trusted, or does not compile.
Expected<LoadedSchemas> load_schemas(const ValidateSettings& settings, const std::filesystem::path& cache,
                                     const SchemaTrust& trust);

// load_schemas for the pushgate.yaml of the repository at `git_dir`, with
// its cache beside it, trusted as that file is: root's or the repository
// owner's.
Expected<LoadedSchemas> load_repository_schemas(const ValidateSettings& settings, const std::string& git_dir);

}  // namespace pushgate::schema
