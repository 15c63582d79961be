// `pushgate uninstall REPO.git`: remove what `pushgate install` wrote, and
// nothing else, saying what it removed and what it left.

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/hook_script.hpp"
#include "cli/install_files.hpp"
#include "cli/install_record.hpp"
#include "cli/repo_settings.hpp"
#include "cli/starter_config.hpp"
#include "core/config/config_reader.hpp"
#include "core/git/git.hpp"
#include "core/config/repo_config.hpp"

namespace fs = std::filesystem;

namespace pushgate::cli {

namespace {

struct UninstallArgs {
  std::string repo;
  std::string layout;
  std::string local_code;
};

void say(const std::string& line) { std::cout << "pushgate: " << line << '\n'; }

// The foreign hook install moved aside for `hook`: the record's, else one
// found next to it (from an install that kept no record).
fs::path kept_hook(const fs::path& hook, const InstallRecord* record) {
  for (const char* suffix : {".pushgate-chained", ".pushgate-backup"}) {
    fs::path candidate = hook;
    candidate += suffix;
    const InstallRecord::Hook* entry = record ? record->find_hook(hook) : nullptr;
    if (entry && !entry->kept.empty() && entry->kept != candidate) continue;
    if (hook_exists(candidate)) return candidate;
  }
  return {};
}

void remove_hook(const fs::path& hook, const InstallRecord* record) {
  if (hook_exists(hook)) {
    if (!is_ours(hook)) return say(fmt::format("left {}: it is not pushgate's", hook.string()));
    fs::remove(hook);
    say(fmt::format("removed {}", hook.string()));
  }
  fs::path kept = kept_hook(hook, record);
  if (kept.empty()) return;
  fs::rename(kept, hook);
  say(fmt::format("put back {} (the hook that was there before install)", hook.string()));
}

void remove_starter_config(const fs::path& git_dir, const InstallRecord* record) {
  fs::path file = git_dir / k_repo_config_name;
  if (!fs::exists(fs::symlink_status(file))) return;
  auto text = read_file(file.string());
  bool starter = record && record->wrote_starter_config && !fs::is_symlink(fs::symlink_status(file)) && text &&
                 *text == k_starter_config;
  if (!starter) {
    say(fmt::format("left {}: {}", file.string(),
                    record && record->wrote_starter_config ? "it was edited after install"
                                                           : "install did not write it"));
    return;
  }
  fs::remove(file);
  say(fmt::format("removed {} (the unchanged starter file)", file.string()));
}

ExitCode run_uninstall(const UninstallArgs& args) {
  git::RepositoryPtr repo = git::open(args.repo).value();
  fs::path git_dir = absolute_git_dir(repo.get());
  std::optional<InstallRecord> loaded = load_install_record(git_dir).value();
  const InstallRecord* record = loaded ? &*loaded : nullptr;
  auto [layout, local_code] = choose_layout(args.layout, args.local_code, record);

  HookPaths paths = hook_paths(layout, git_dir, local_code);
  for (const auto& hook : {paths.pre_receive, paths.post_receive}) remove_hook(hook, record);
  if (record) {
    for (const auto& key : record->config) restore_repo_setting(repo.get(), key);
  } else {
    for (const auto& key : k_install_settings)
      if (setting_is_true(repo.get(), key)) say(fmt::format("left {}: no record says install set it", key));
  }
  remove_starter_config(git_dir, record);
  if (record) {
    fs::remove(install_record_path(git_dir));
    say(fmt::format("removed {}", install_record_path(git_dir).string()));
  }
  if (fs::exists(git_dir / "pushgate"))
    say(fmt::format("left {}/pushgate/ (the hooks' index of pushed trees; delete it if you like) and the "
                    "deploy notes (refs/notes/deploy*)",
                    git_dir.string()));
  if (layout == Layout::gitolite)
    say("these hooks served every repository of gitolite's: remove the links gitolite made to them with "
        "`find ~/repositories -path '*/hooks/*' -xtype l -delete` as the hosting user");
  return ExitCode::ok;
}

}  // namespace

void add_uninstall_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<UninstallArgs>();
  CLI::App* cmd = app.add_subcommand(
      "uninstall",
      "Remove what `pushgate install` wrote into a repository: its hooks (a foreign hook it moved\n"
      "aside goes back), the settings it turned on, and the starter pushgate.yaml if unchanged.\n"
      "Running it again changes nothing.");
  add_repo_argument(cmd, args->repo);
  cmd->add_option("--layout", args->layout, "as given to install (default: the one install recorded, else bare)");
  cmd->add_option("--local-code", args->local_code, "gitolite's LOCAL_CODE folder (with --layout gitolite)");
  cmd->callback([args, &exit_code] { exit_code = run_uninstall(*args); });
}

}  // namespace pushgate::cli
