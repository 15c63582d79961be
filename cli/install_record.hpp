#pragma once
// What `pushgate install` changed in a repository, kept in
// REPO.git/pushgate-install.json so that `pushgate uninstall` undoes exactly
// that and nothing else.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/hook_script.hpp"
#include "core/util/error.hpp"

namespace pushgate::cli {

struct InstallRecord {
  std::string layout;                   // as parse_layout takes it
  std::filesystem::path local_code;     // gitolite's LOCAL_CODE; empty otherwise
  // A hook file install wrote; `kept` is where the foreign hook that was
  // there went (HOOK.pushgate-chained or .pushgate-backup), empty if none.
  struct Hook {
    std::filesystem::path path;
    std::filesystem::path kept;
  };
  std::vector<Hook> hooks;
  // A config key install set; `previous` is its value in the repository's
  // own config before (nullopt: not set there).
  struct ConfigKey {
    std::string key;
    std::optional<std::string> previous;
    std::string value;
  };
  std::vector<ConfigKey> config;
  bool wrote_starter_config = false;  // pushgate.yaml is install's starter

  const Hook* find_hook(const std::filesystem::path& path) const;
  const ConfigKey* find_config(const std::string& key) const;
};

// The layout and LOCAL_CODE to act on: the ones given (`layout`,
// `local_code` non-empty), else the ones `record` names, else bare. Throws
// Failure (ErrorCode::usage) for an unknown layout, or gitolite without
// LOCAL_CODE.
struct LayoutChoice {
  Layout layout = Layout::bare;
  std::filesystem::path local_code;  // absolute; empty unless gitolite
};
LayoutChoice choose_layout(const std::string& layout, const std::string& local_code, const InstallRecord* record);

// "pushgate install [--layout L] [--local-code DIR] [--daemon-config FILE] GIT_DIR":
// the command that installs the same hooks again, for messages.
std::string install_command_line(const LayoutChoice& choice, const std::filesystem::path& git_dir,
                                 const std::string& daemon_config);

// REPO.git/pushgate-install.json.
std::filesystem::path install_record_path(const std::filesystem::path& git_dir);

// The record of `git_dir`; nullopt when there is none. It is read only when
// it belongs to root or the repository's owner and nobody else can write it
// (ErrorCode::config otherwise), as it names files uninstall removes.
Expected<std::optional<InstallRecord>> load_install_record(const std::filesystem::path& git_dir);

// Writes the record, mode 0644. Throws Failure (ErrorCode::io).
void save_install_record(const std::filesystem::path& git_dir, const InstallRecord& record);

}  // namespace pushgate::cli
