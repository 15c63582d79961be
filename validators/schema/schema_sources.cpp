#include "validators/schema/schema_sources.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "core/config/config_reader.hpp"
#include "core/util/trusted_file.hpp"
#include "core/util/unique_fd.hpp"
#include "core/util/write_all.hpp"
#include "validators/k8s/k8s_object.hpp"

namespace pushgate::schema {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_cache_magic = "pushgate-schema-cache 1\n";
// An OpenAPI document of a whole cluster is a few MiB; CRD bundles are smaller.
constexpr std::size_t k_max_source_size = 64u << 20;
constexpr std::size_t k_max_cache_size = 256u << 20;

struct SourceFile {
  fs::path path;
  bool openapi = false;  // a .json file named in validate.schemas itself
  struct stat st {};
};

bool is_manifest_name(const fs::path& p) {
  auto ext = p.extension();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

Error source_error(const fs::path& path, const std::string& what) {
  return Error{ErrorCode::config, fmt::format("validate.schemas: '{}': {}", path.string(), what)};
}

// Every file the sources stand for, folders walked in name order.
Expected<std::vector<SourceFile>> expand(const std::vector<std::string>& sources, const SchemaTrust& trust) {
  std::vector<SourceFile> files;
  for (const std::string& source : sources) {
    if (source.find('\n') != std::string::npos) return source_error(source, "a path with a line break is not supported");
    std::error_code ec;
    fs::file_status status = fs::status(source, ec);
    if (ec || !fs::exists(status))
      return source_error(source, "does not exist; give an OpenAPI document (.json) or a folder of CRD manifests");
    if (fs::is_regular_file(status)) {
      files.push_back({source, fs::path(source).extension() == ".json", {}});
      continue;
    }
    if (!fs::is_directory(status)) return source_error(source, "is neither a file nor a folder");
    std::vector<fs::path> found;
    for (fs::recursive_directory_iterator it(source, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file(ec) && is_manifest_name(it->path())) found.push_back(it->path());
    if (ec) return source_error(source, ec.message());
    if (found.empty()) return source_error(source, "holds no .yaml, .yml or .json file");
    std::sort(found.begin(), found.end());
    for (fs::path& p : found) files.push_back({std::move(p), false, {}});
  }
  for (SourceFile& f : files) {
    if (::stat(f.path.c_str(), &f.st) != 0) return source_error(f.path, std::error_code(errno, std::system_category()).message());
    // Checked on every load, not only when compiling: a fresh cache must
    // not hide a source that someone else can now rewrite.
    if (trust.owner)
      if (auto trusted = check_trusted(f.path, {*trust.owner}); !trusted) return trusted.error();
  }
  return files;
}

// What the cache must have been made from: one line per source file.
std::string stamp_of(const std::vector<SourceFile>& files) {
  std::string stamp(k_cache_magic);
  for (const SourceFile& f : files)
    stamp += fmt::format("{} {} {}.{:09} {} {}\n", f.openapi ? "openapi" : "crds", f.st.st_size,
                         f.st.st_mtim.tv_sec, f.st.st_mtim.tv_nsec, f.st.st_ino, f.path.string());
  return stamp + "\n";
}

Expected<std::string> read_source(const fs::path& path, const SchemaTrust& trust, std::size_t max_size) {
  if (trust.owner) {
    auto read = read_trusted_file(path, {*trust.owner}, max_size);
    if (!read) return read.error();
    if (read->missing) return source_error(path, "does not exist");
    return std::move(read->text);
  }
  std::error_code ec;
  if (auto size = fs::file_size(path, ec); !ec && size > max_size)
    return source_error(path, fmt::format("is larger than {} MiB", max_size >> 20));
  return read_file(path.string());
}

// Adds the CRDs of a manifest file; what is wrong with one is an error of
// the administrator's config, reported with its line and column.
Expected<bool> add_crds(SchemaSet& set, const fs::path& path, const std::string& text, const ValidateSettings& settings) {
  yaml::LoadResult loaded = yaml::load(text, settings.limits);
  if (!loaded.problems.empty()) {
    const yaml::Problem& p = loaded.problems.front();
    return source_error(path, fmt::format("line {}, column {}: {}", p.mark.line, p.mark.column, p.message));
  }
  std::vector<Finding> problems;
  std::size_t added = 0;
  for (const yaml::Document& doc : loaded.documents)
    for (yaml::NodeId object : object_nodes(doc))
      if (is_crd(doc, object) && set.add_crd(doc, object, path.string(), problems)) ++added;
  if (!problems.empty()) {
    std::string message;
    for (const Finding& f : problems) message += (message.empty() ? "" : "\n") + format_finding(f);
    return Error{ErrorCode::config, message};
  }
  if (added == 0) return source_error(path, "holds no CustomResourceDefinition");
  return true;
}

Expected<SchemaSet> compile(const std::vector<SourceFile>& files, const ValidateSettings& settings,
                            const SchemaTrust& trust) {
  SchemaSet set;
  for (const SourceFile& f : files) {
    auto text = read_source(f.path, trust, k_max_source_size);
    if (!text) return text.error();
    if (f.openapi) {
      try {
        set.add_openapi(*text, f.path.string());
      } catch (const Failure& e) {
        return Error{ErrorCode::config, fmt::format("validate.schemas: {}", e.what())};
      }
    } else if (auto added = add_crds(set, f.path, *text, settings); !added) {
      return added.error();
    }
  }
  return set;
}

// The cache, when it exists, is believed and was made from `stamp`.
std::optional<SchemaSet> read_cache(const fs::path& cache, const std::string& stamp, const SchemaTrust& trust) {
  auto bytes = read_source(cache, trust, k_max_cache_size);
  if (!bytes || !bytes->starts_with(stamp)) return std::nullopt;
  try {
    return SchemaSet::from_compiled(bytes->substr(stamp.size()));
  } catch (const Failure&) {
    return std::nullopt;  // another format version, or damaged: made again
  }
}

// Written only where it will be believed next time; a cache that cannot be
// written costs time, never a verdict.
bool write_cache(const fs::path& cache, const std::string& stamp, const SchemaSet& set, const SchemaTrust& trust) {
  if (trust.owner && ::geteuid() != 0 && ::geteuid() != *trust.owner) return false;
  fs::path temp = cache;
  temp += fmt::format(".tmp.{}", ::getpid());
  UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!fd) return false;
  bool ok = ::fchmod(fd.get(), 0644) == 0 && write_all(fd.get(), stamp) && write_all(fd.get(), set.compiled());
  fd.reset();
  if (ok && ::rename(temp.c_str(), cache.c_str()) == 0) return true;
  ::unlink(temp.c_str());
  return false;
}

}  // namespace

Expected<LoadedSchemas> load_schemas(const ValidateSettings& settings, const fs::path& cache, const SchemaTrust& trust) {
  LoadedSchemas loaded;
  if (settings.schemas.empty()) return loaded;
  auto files = expand(settings.schemas, trust);
  if (!files) return files.error();
  for (const SourceFile& f : *files) loaded.files.push_back(f.path.string());
  std::string stamp = stamp_of(*files);
  if (auto cached = read_cache(cache, stamp, trust)) {
    loaded.set = std::make_shared<const SchemaSet>(std::move(*cached));
    return loaded;
  }
  auto set = compile(*files, settings, trust);
  if (!set) return set.error();
  loaded.compiled = true;
  loaded.cache_written = write_cache(cache, stamp, *set, trust);
  loaded.set = std::make_shared<const SchemaSet>(std::move(*set));
  return loaded;
}

Expected<LoadedSchemas> load_repository_schemas(const ValidateSettings& settings, const std::string& git_dir) {
  if (settings.schemas.empty()) return LoadedSchemas{};
  auto owner = owner_of(git_dir);
  if (!owner) return owner.error();
  return load_schemas(settings, fs::path(git_dir) / k_schema_cache_name, {*owner});
}

}  // namespace pushgate::schema
