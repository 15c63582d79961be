#include "cli/repo_settings.hpp"

#include <fmt/format.h>

#include <iostream>
#include <optional>
#include <string>

#include "core/git/git.hpp"

namespace pushgate::cli {

namespace {

git::ConfigPtr repository_config(git_repository* repo) {
  git_config* raw = nullptr;
  git::check(git_repository_config(&raw, repo), "cannot open the repository's config");
  return git::ConfigPtr(raw);
}

// The repository's own config file (REPO.git/config), without the global
// and system files, which install never writes.
git::ConfigPtr local_config(git_config* all) {
  git_config* raw = nullptr;
  git::check(git_config_open_level(&raw, all, GIT_CONFIG_LEVEL_LOCAL), "cannot open the repository's config");
  return git::ConfigPtr(raw);
}

std::optional<std::string> local_value(git_config* local, const std::string& key) {
  git_buf buf = GIT_BUF_INIT;
  if (git_config_get_string_buf(&buf, local, key.c_str()) != 0) return std::nullopt;
  std::string value(buf.ptr, buf.size);
  git_buf_dispose(&buf);
  return value;
}

bool is_true(git_config* config, const std::string& key) {
  int value = 0;
  return git_config_get_bool(&value, config, key.c_str()) == 0 && value;
}

}  // namespace

bool setting_is_true(git_repository* repo, std::string_view key) {
  return is_true(repository_config(repo).get(), std::string(key));
}

void set_repo_setting(git_repository* repo, std::string_view key_view, InstallRecord& record) {
  std::string key(key_view);
  git::ConfigPtr all = repository_config(repo);
  git::ConfigPtr local = local_config(all.get());
  if (is_true(local.get(), key)) return;
  std::optional<std::string> previous = local_value(local.get(), key);
  git::check(git_config_set_string(local.get(), key.c_str(), "true"), fmt::format("cannot set {}", key));
  if (!record.find_config(key)) record.config.push_back({key, previous, "true"});
  std::cout << fmt::format("pushgate: set {}=true{}\n", key, previous ? fmt::format(" (was {})", *previous) : "");
}

void restore_repo_setting(git_repository* repo, const InstallRecord::ConfigKey& key) {
  git::ConfigPtr all = repository_config(repo);
  git::ConfigPtr local = local_config(all.get());
  std::optional<std::string> now = local_value(local.get(), key.key);
  if (now != key.value) {
    std::cout << fmt::format("pushgate: left {} as it is ({}): it was changed after install\n", key.key,
                             now ? *now : "not set");
    return;
  }
  if (key.previous) {
    git::check(git_config_set_string(local.get(), key.key.c_str(), key.previous->c_str()),
               fmt::format("cannot set {}", key.key));
    std::cout << fmt::format("pushgate: set {} back to {}\n", key.key, *key.previous);
  } else {
    git::check(git_config_delete_entry(local.get(), key.key.c_str()), fmt::format("cannot unset {}", key.key));
    std::cout << fmt::format("pushgate: unset {}\n", key.key);
  }
}

}  // namespace pushgate::cli
