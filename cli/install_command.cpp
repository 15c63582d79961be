// `pushgate install REPO.git`: put pushgate's hooks into a repository.

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/hook_script.hpp"
#include "cli/install_check.hpp"
#include "cli/install_files.hpp"
#include "cli/install_record.hpp"
#include "cli/repo_settings.hpp"
#include "cli/starter_config.hpp"
#include "core/config/config_reader.hpp"
#include "core/git/git.hpp"
#include "core/util/process.hpp"
#include "core/config/repo_config.hpp"

namespace fs = std::filesystem;

namespace pushgate::cli {

namespace {

enum class Foreign { refuse, chain, replace };

struct InstallArgs {
  std::string repo;
  std::string layout;  // empty: the one install recorded, else bare
  std::string local_code;
  std::string bin_dir;
  std::string daemon_config;
  bool chain = false;
  bool force = false;
  bool check = false;
  std::string format = "text";
};

fs::path own_directory() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Failure(ErrorCode::io, "cannot find where pushgate is installed; pass --bin-dir");
  return self.parent_path();
}

const fs::perms k_hook_perms = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec;

class Installer {
 public:
  Installer(Foreign foreign, InstallRecord& record) : m_foreign(foreign), m_record(record) {}

  // Refuses, before writing anything, when a foreign hook is in the way.
  void check(const fs::path& hook) const {
    if (!hook_exists(hook) || m_foreign != Foreign::refuse || is_ours(hook)) return;
    throw Failure(ErrorCode::usage,
                  fmt::format("'{}' is not pushgate's hook. Run again with --chain to run it "
                              "before pushgate's, or --force to replace it (it is kept as "
                              "{}.pushgate-backup)",
                              hook.string(), hook.filename().string()));
  }

  // Writes the script that runs `spec` (a chained hook found next to it is
  // added) to `hook`, replacing a symbolic link an older install made.
  void install(const fs::path& hook, HookSpec spec) {
    fs::path chained = hook;
    chained += ".pushgate-chained";
    fs::path kept;
    if (hook_exists(hook) && !is_ours(hook)) {
      kept = hook;
      kept += m_foreign == Foreign::chain ? ".pushgate-chained" : ".pushgate-backup";
      if (hook_exists(kept))
        throw Failure(ErrorCode::usage, fmt::format("'{}' already exists; move it away first", kept.string()));
      fs::rename(hook, kept);
      std::cout << fmt::format("pushgate: kept the previous hook as {}\n", kept.string());
    }
    remember(hook, kept);
    if (hook_exists(chained)) spec.chained = chained;
    std::string script = hook_script(spec);
    if (hook_exists(hook) && !fs::is_symlink(hook) && read_file(hook.string()).value() == script) {
      std::cout << fmt::format("pushgate: {} is up to date\n", hook.string());
      return;
    }
    write_atomically(hook, script, k_hook_perms);
    m_changed = true;
    std::cout << fmt::format("pushgate: wrote {}\n", hook.string());
  }

  bool changed() const { return m_changed; }

 private:
  void remember(const fs::path& hook, const fs::path& kept) {
    for (auto& h : m_record.hooks)
      if (h.path == hook) {
        if (!kept.empty()) h.kept = kept;
        return;
      }
    m_record.hooks.push_back({hook, kept});
  }

  Foreign m_foreign;
  InstallRecord& m_record;
  bool m_changed = false;
};

// Writes the starter config if there is none; reports an existing one's
// errors. Returns false when the config is invalid.
bool ensure_config(const fs::path& git_dir, InstallRecord& record) {
  fs::path file = git_dir / k_repo_config_name;
  if (!fs::exists(fs::symlink_status(file))) {
    write_atomically(file, std::string(k_starter_config),
                     fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                         fs::perms::others_read);
    record.wrote_starter_config = true;
    std::cout << fmt::format("pushgate: wrote {} (edit it to configure validation and deploys)\n",
                             file.string());
    return true;
  }
  auto config = load_repo_config(git_dir.string());
  if (config) return true;
  std::cerr << config.error().message << '\n'
            << "pushgate: error: the hooks are installed, but they reject every push until "
            << file.string() << " is fixed\n";
  return false;
}

// gitolite copies LOCAL_CODE/hooks/common only from its own LOCAL_CODE: say
// so when --local-code is another folder. Silent when gitolite is not
// installed here.
void compare_local_code(const fs::path& local_code) {
  SystemProcessRunner runner;
  std::string output;
  ProcessSpec spec{{"gitolite", "query-rc", "LOCAL_CODE"}, {}, {}, std::chrono::milliseconds(10'000)};
  ProcessResult result = runner.run(spec, [&](std::string_view line) { output += line; });
  if (!result.error.empty()) return;
  if (!result.ok()) {
    std::cout << fmt::format("pushgate: warning: `gitolite query-rc LOCAL_CODE` failed ({}): {}; check that "
                             "--local-code {} is the LOCAL_CODE of ~/.gitolite.rc\n",
                             result.describe(), output, local_code.string());
    return;
  }
  if (output.empty()) {
    std::cout << fmt::format("pushgate: warning: LOCAL_CODE is not set in ~/.gitolite.rc, so gitolite does not "
                             "use the hooks in {}: set LOCAL_CODE => \"{}\" in its %RC block\n",
                             local_code.string(), local_code.string());
    return;
  }
  std::error_code ec;
  if (fs::weakly_canonical(output, ec) == fs::weakly_canonical(local_code, ec)) return;
  std::cout << fmt::format("pushgate: warning: --local-code {} is not gitolite's LOCAL_CODE ({}, from `gitolite "
                           "query-rc LOCAL_CODE`): gitolite will not copy these hooks; run again with "
                           "--local-code {}\n",
                           local_code.string(), output, output);
}

ExitCode run_install(const InstallArgs& args) {
  if (args.chain && args.force) throw Failure(ErrorCode::usage, "give --chain or --force, not both");
  git::RepositoryPtr repo = git::open(args.repo).value();
  fs::path git_dir = absolute_git_dir(repo.get());
  InstallRecord record = load_install_record(git_dir).value().value_or(InstallRecord{});
  // Run again without --layout, install keeps the layout it recorded.
  auto [layout, local_code] = choose_layout(args.layout, args.local_code, &record);
  fs::path bin_dir = args.bin_dir.empty() ? own_directory() : fs::absolute(args.bin_dir);
  fs::path pre_binary = bin_dir / "pushgate-pre-receive";
  fs::path post_binary = bin_dir / "pushgate-post-receive";
  for (const auto& b : {pre_binary, post_binary})
    if (::access(b.c_str(), X_OK) != 0)
      throw Failure(ErrorCode::usage, fmt::format("'{}' is not an executable; pass --bin-dir", b.string()));

  // Hooks run from the repository's folder: every path they name is absolute.
  std::string daemon_config = args.daemon_config.empty() ? "" : fs::absolute(args.daemon_config).string();
  HookPaths paths = hook_paths(layout, git_dir, local_code);
  record.layout = layout_name(layout);
  record.local_code = local_code;
  Installer installer(args.chain ? Foreign::chain : args.force ? Foreign::replace : Foreign::refuse, record);
  installer.check(paths.pre_receive);
  installer.check(paths.post_receive);
  std::string reinstall = install_command_line({layout, local_code}, git_dir, daemon_config);
  installer.install(paths.pre_receive,
                    {HookKind::pre_receive, pre_binary, {}, {}, std::string(identity_variable(layout)), reinstall});
  installer.install(paths.post_receive,
                    {HookKind::post_receive, post_binary, {},
                     daemon_config.empty() ? fs::path(k_default_hook_daemon_config) : fs::path(daemon_config),
                     std::string(identity_variable(layout)), reinstall});
  for (const auto& folder : hook_folders(layout, git_dir, local_code)) remove_group_other_write(folder);
  for (const auto& hook : {paths.pre_receive, paths.post_receive}) {
    remove_group_other_write(hook);
    fs::path chained = hook;
    remove_group_other_write(chained += ".pushgate-chained");
  }
  for (const auto& key : k_install_settings) set_repo_setting(repo.get(), key, record);
  bool config_ok = ensure_config(git_dir, record);
  save_install_record(git_dir, record);
  if (layout == Layout::gitolite) {
    compare_local_code(local_code);
    if (installer.changed())
      std::cout << "pushgate: now run `gitolite setup --hooks-only` to copy the hooks into every repository\n";
  }
  return config_ok ? ExitCode::ok : ExitCode::usage;
}

}  // namespace

void add_install_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<InstallArgs>();
  CLI::App* cmd = app.add_subcommand(
      "install",
      "Install pushgate's pre-receive and post-receive hooks into a repository, write a starter\n"
      "pushgate.yaml if it has none, and set receive.fsckObjects and receive.advertisePushOptions.\n"
      "Running it again changes nothing. With --check, change nothing and report what is wrong.");
  add_repo_argument(cmd, args->repo);
  cmd->add_option("--layout", args->layout,
                  "bare (hooks/), http (hooks/, pusher from REMOTE_USER), gitolite (LOCAL_CODE/hooks/common/), "
                  "gitea or forgejo (hooks/pre-receive.d/), gitlab (custom_hooks/pre-receive.d/)");
  cmd->add_option("--local-code", args->local_code, "gitolite's LOCAL_CODE folder (with --layout gitolite)");
  cmd->add_option("--bin-dir", args->bin_dir,
                  "where pushgate-pre-receive and pushgate-post-receive are (default: next to pushgate)");
  cmd->add_option("--daemon-config", args->daemon_config,
                  "the pushgated.yaml of the daemon this repository's hooks hand jobs to "
                  "(default: /etc/pushgate/pushgated.yaml)");
  cmd->add_flag("--chain", args->chain, "keep an existing foreign hook and run it before pushgate's");
  cmd->add_flag("--force", args->force, "replace an existing foreign hook (kept as *.pushgate-backup)");
  cmd->add_flag("--check", args->check,
                "change nothing: check the hooks, owners and modes, settings and the daemon; exit 1 on a problem");
  cmd->add_option("--format", args->format, "text or json (with --check)")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([args, &exit_code] {
    if (!args->check) {
      exit_code = run_install(*args);
      return;
    }
    exit_code = run_install_check({args->repo, args->layout, args->local_code, args->daemon_config,
                                   args->format == "json" ? CheckFormat::json : CheckFormat::text});
  });
}

}  // namespace pushgate::cli
