#include "core/config/repo_config.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "core/config/config_reader.hpp"
#include "core/config/deploy_dir.hpp"
#include "core/config/environment_config.hpp"
#include "core/config/signature_config.hpp"
#include "core/util/trusted_file.hpp"

namespace pushgate {

using yaml::NodeId;

namespace {

void read_limits(ConfigReader& r, NodeId at, ValidateSettings& v) {
  if (!r.mapping(at, "validate.limits")) return;
  r.only_keys(at, "validate.limits", {"file_size", "depth", "aliases", "documents"});
  if (NodeId n = r.find(at, "file_size"); n != yaml::k_no_node)
    if (auto s = r.size(n, "validate.limits.file_size")) v.file_size = *s;
  if (NodeId n = r.find(at, "depth"); n != yaml::k_no_node)
    if (auto d = r.integer(n, "validate.limits.depth", 1, 10'000)) v.limits.depth = *d;
  if (NodeId n = r.find(at, "aliases"); n != yaml::k_no_node)
    if (auto a = r.integer(n, "validate.limits.aliases", 0, 100'000'000)) v.limits.alias_expansions = *a;
  if (NodeId n = r.find(at, "documents"); n != yaml::k_no_node)
    if (auto d = r.integer(n, "validate.limits.documents", 1, 1'000'000)) v.limits.documents = *d;
}

void read_rules(ConfigReader& r, NodeId at, ValidateSettings& v) {
  if (!r.mapping(at, "validate.rules")) return;
  for (auto [k, val] : r.entries(at)) {
    auto value = r.string(val, fmt::format("validate.rules.{}", r.node(k).value));
    if (!value) continue;
    std::string rule(r.node(k).value);
    v.rule_locations[rule] = r.location(k);
    if (*value == "off") v.rules[rule] = RuleSetting::off;
    else if (*value == "warning") v.rules[rule] = RuleSetting::warning;
    else if (*value == "error") v.rules[rule] = RuleSetting::error;
    else r.error(val, fmt::format("rule '{}' must be set to off, warning or error", r.node(k).value));
  }
}

// `entry`, a path written in `file`, taken from the file's folder when it is
// relative, so the hook, the daemon and `pushgate validate` read the same
// files whatever their cwd.
std::string beside(const std::string& file, const std::string& entry) {
  std::error_code ec;
  return (std::filesystem::absolute(file, ec).parent_path() / entry).lexically_normal().string();
}

void read_schemas(ConfigReader& r, NodeId at, const std::string& file, ValidateSettings& v) {
  auto list = r.string_list(at, "validate.schemas");
  if (!list) return;
  for (const std::string& entry : *list) {
    if (entry.empty()) {
      r.error(at, "validate.schemas: an entry is empty; give the path of an OpenAPI document or a folder of CRDs");
      continue;
    }
    v.schemas.push_back(beside(file, entry));
  }
  v.schemas_at = r.location(at);
}

void read_secrets(ConfigReader& r, NodeId at, const std::string& file, SecretScanSettings& s) {
  if (!r.mapping(at, "validate.secrets")) return;
  r.only_keys(at, "validate.secrets", {"allowlist", "file_size", "max_commits"});
  if (NodeId n = r.find(at, "allowlist"); n != yaml::k_no_node) {
    auto path = r.string(n, "validate.secrets.allowlist");
    if (path && path->empty()) r.error(n, "validate.secrets.allowlist: give the path of the allow-list file");
    if (path && !path->empty()) {
      s.allowlist = beside(file, *path);
      s.allowlist_at = r.location(n);
    }
  }
  if (NodeId n = r.find(at, "file_size"); n != yaml::k_no_node)
    if (auto size = r.size(n, "validate.secrets.file_size")) s.file_size = *size;
  if (NodeId n = r.find(at, "max_commits"); n != yaml::k_no_node)
    if (auto m = r.integer(n, "validate.secrets.max_commits", 1, 10'000'000)) s.max_commits = *m;
}

void read_validate(ConfigReader& r, NodeId at, const std::string& file, ValidateSettings& v) {
  if (!r.mapping(at, "validate")) return;
  r.only_keys(at, "validate", {"include", "exclude", "limits", "time_budget", "max_findings", "rules", "schemas",
                                 "signatures", "secrets"});
  if (NodeId n = r.find(at, "include"); n != yaml::k_no_node)
    if (auto l = r.string_list(n, "validate.include")) v.include = *l;
  if (NodeId n = r.find(at, "exclude"); n != yaml::k_no_node)
    if (auto l = r.string_list(n, "validate.exclude")) v.exclude = *l;
  if (NodeId n = r.find(at, "limits"); n != yaml::k_no_node) read_limits(r, n, v);
  if (NodeId n = r.find(at, "time_budget"); n != yaml::k_no_node)
    if (auto d = r.duration(n, "validate.time_budget")) v.time_budget = *d;
  if (NodeId n = r.find(at, "max_findings"); n != yaml::k_no_node)
    if (auto m = r.integer(n, "validate.max_findings", 1, 100'000)) v.max_findings = *m;
  if (NodeId n = r.find(at, "rules"); n != yaml::k_no_node) read_rules(r, n, v);
  if (NodeId n = r.find(at, "schemas"); n != yaml::k_no_node) read_schemas(r, n, file, v);
  if (NodeId n = r.find(at, "secrets"); n != yaml::k_no_node) read_secrets(r, n, file, v.secrets);
}

}  // namespace

Expected<RepoConfig> parse_repo_config(std::string_view text, const std::string& file) {
  ConfigReader r(text, file);
  RepoConfig config;
  NodeId root = r.root();
  if (root != yaml::k_no_node && r.mapping(root, "the top level")) {
    r.only_keys(root, "the top level", {"validate", "environments"});
    if (NodeId n = r.find(root, "validate"); n != yaml::k_no_node) read_validate(r, n, file, config.validate);
    if (NodeId n = r.find(root, "environments"); n != yaml::k_no_node)
      read_environments(r, n, config.environments);
    // After environments: an entry may name them.
    if (NodeId v = r.find(root, "validate"); v != yaml::k_no_node && r.node(v).kind == yaml::NodeKind::mapping)
      if (NodeId n = r.find(v, "signatures"); n != yaml::k_no_node)
        read_signature_rules(r, n, file, config.environments, config.validate.signatures);
  }
  if (!r.ok()) return r.failure();
  return config;
}

Expected<RepoConfig> load_repo_config(const std::string& git_dir) {
  std::filesystem::path file = std::filesystem::path(git_dir) / k_repo_config_name;
  // The file names the commands the daemon runs and turns validation off:
  // only the repository's owner (or root) may have written it.
  auto owner = owner_of(git_dir);
  if (!owner) return owner.error();
  auto read = read_trusted_file(file, {*owner});
  if (!read) return read.error();
  if (read->missing) return RepoConfig{};
  auto config = parse_repo_config(read->text, file.string());
  if (!config) return config;
  if (auto outside = check_deploy_dirs_outside(config->environments, git_dir); !outside) return outside.error();
  return config;
}

Expected<bool> check_hooks_folder(const std::string& git_dir) {
  std::filesystem::path hooks = std::filesystem::path(git_dir) / "hooks";
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(hooks, ec))) return true;
  auto owner = owner_of(git_dir);
  if (!owner) return owner.error();
  return check_trusted(hooks, {*owner});
}

Expected<const Environment*> find_environment(const RepoConfig& config, std::string_view name,
                                              std::string_view repo) {
  std::string known;
  for (const auto& e : config.environments) {
    if (e.name == name) return &e;
    known += (known.empty() ? "" : ", ") + e.name;
  }
  return Error{ErrorCode::usage, fmt::format("'{}' has no environment '{}' (known: {})", repo, name,
                                             known.empty() ? "none" : known)};
}

}  // namespace pushgate
