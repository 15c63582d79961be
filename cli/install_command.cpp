// `pushgate install REPO.git`: put pushgate's hooks into a repository.

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/hook_script.hpp"
#include "cli/starter_config.hpp"
#include "core/config_reader.hpp"
#include "core/git.hpp"
#include "core/repo_config.hpp"

namespace fs = std::filesystem;

namespace pushgate::cli {

namespace {

enum class Foreign { refuse, chain, replace };

struct InstallArgs {
  std::string repo;
  std::string layout = "bare";
  std::string local_code;
  std::string bin_dir;
  std::string daemon_config;
  bool chain = false;
  bool force = false;
};

fs::path own_directory() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Failure(ErrorCode::io, "cannot find where pushgate is installed; pass --bin-dir");
  return self.parent_path();
}

// A script with the marker, or a symbolic link to one of pushgate's programs.
bool is_ours(const fs::path& hook) {
  std::error_code ec;
  if (fs::is_symlink(hook, ec)) return fs::read_symlink(hook, ec).filename().string().starts_with("pushgate-");
  return read_file(hook.string()).value().find(k_hook_marker) != std::string::npos;
}

// A hook file, or a symbolic link even when it points nowhere.
bool hook_exists(const fs::path& hook) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(hook, ec));
}

// Writes `content` to `path` through a temporary file and rename, so a hook
// is never seen half-written by a push running at the same moment.
void write_atomically(const fs::path& path, const std::string& content, fs::perms perms) {
  fs::create_directories(path.parent_path());
  fs::path temp = path;
  temp += fmt::format(".pushgate-tmp-{}", ::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) throw Failure(ErrorCode::io, fmt::format("cannot write '{}'", temp.string()));
  }
  fs::permissions(temp, perms);
  fs::rename(temp, path);
}

// Points `path` at `target` the same way: a new link renamed over the old file.
void link_atomically(const fs::path& path, const fs::path& target) {
  fs::create_directories(path.parent_path());
  fs::path temp = path;
  temp += fmt::format(".pushgate-tmp-{}", ::getpid());
  fs::create_symlink(target, temp);
  fs::rename(temp, path);
}

class Installer {
 public:
  explicit Installer(Foreign foreign) : m_foreign(foreign) {}

  // Refuses, before writing anything, when a foreign hook is in the way.
  void check(const fs::path& hook) const {
    if (!hook_exists(hook) || m_foreign != Foreign::refuse || is_ours(hook)) return;
    throw Failure(ErrorCode::usage,
                  fmt::format("'{}' is not pushgate's hook. Run again with --chain to run it "
                              "before pushgate's, or --force to replace it (it is kept as "
                              "{}.pushgate-backup)",
                              hook.string(), hook.filename().string()));
  }

  // `daemon_config`: what the hook must export (empty: nothing).
  void install(const fs::path& hook, const fs::path& binary, const std::string& daemon_config) const {
    fs::path chained = hook;
    chained += ".pushgate-chained";
    bool exists = hook_exists(hook);
    if (exists && !is_ours(hook)) {
      fs::path keep = hook;
      keep += m_foreign == Foreign::chain ? ".pushgate-chained" : ".pushgate-backup";
      if (hook_exists(keep))
        throw Failure(ErrorCode::usage, fmt::format("'{}' already exists; move it away first", keep.string()));
      fs::rename(hook, keep);
      exists = false;
      std::cout << fmt::format("pushgate: kept the previous hook as {}\n", keep.string());
    }
    bool linked = exists && fs::is_symlink(hook);
    // git starts a linked program directly, saving a shell on every push; a
    // script is needed only to run a chained hook first or to pass the
    // daemon's config on.
    if (!hook_exists(chained) && daemon_config.empty()) {
      if (linked && fs::read_symlink(hook) == binary) return up_to_date(hook);
      link_atomically(hook, binary);
    } else {
      std::string script = hook_script(binary, hook_exists(chained) ? chained : fs::path(),
                                       daemon_config.empty() ? fs::path() : fs::absolute(daemon_config));
      if (exists && !linked && read_file(hook.string()).value() == script) return up_to_date(hook);
      write_atomically(hook, script, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                         fs::perms::others_read | fs::perms::others_exec);
    }
    std::cout << fmt::format("pushgate: wrote {}\n", hook.string());
  }

 private:
  static void up_to_date(const fs::path& hook) {
    std::cout << fmt::format("pushgate: {} is up to date\n", hook.string());
  }

  Foreign m_foreign;
};

void advertise_push_options(git_repository* repo) {
  git_config* raw = nullptr;
  git::check(git_repository_config(&raw, repo), "cannot open the repository's config");
  git::ConfigPtr config(raw);
  int current = 0;
  if (git_config_get_bool(&current, raw, "receive.advertisePushOptions") == 0 && current) return;
  git::check(git_config_set_bool(raw, "receive.advertisePushOptions", 1),
             "cannot set receive.advertisePushOptions");
  std::cout << "pushgate: set receive.advertisePushOptions=true\n";
}

// Writes the starter config if there is none; reports an existing one's
// errors. Returns false when the config is invalid.
bool ensure_config(const fs::path& git_dir) {
  fs::path file = git_dir / k_repo_config_name;
  if (!fs::exists(file)) {
    write_atomically(file, std::string(k_starter_config),
                     fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                         fs::perms::others_read);
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

ExitCode run_install(const InstallArgs& args) {
  if (args.chain && args.force) throw Failure(ErrorCode::usage, "give --chain or --force, not both");
  Layout layout = parse_layout(args.layout);
  if (layout == Layout::gitolite && args.local_code.empty())
    throw Failure(ErrorCode::usage, "--layout gitolite needs --local-code DIR (gitolite's LOCAL_CODE)");
  git::RepositoryPtr repo = git::open(args.repo).value();
  fs::path git_dir = git::git_dir(repo.get());
  fs::path bin_dir = args.bin_dir.empty() ? own_directory() : fs::absolute(args.bin_dir);
  fs::path pre_binary = bin_dir / "pushgate-pre-receive";
  fs::path post_binary = bin_dir / "pushgate-post-receive";
  for (const auto& b : {pre_binary, post_binary})
    if (::access(b.c_str(), X_OK) != 0)
      throw Failure(ErrorCode::usage, fmt::format("'{}' is not an executable; pass --bin-dir", b.string()));

  // Hooks run from the repository's folder: every path they name is absolute.
  HookPaths paths = hook_paths(layout, git_dir,
                               args.local_code.empty() ? fs::path() : fs::absolute(args.local_code));
  Installer installer(args.chain ? Foreign::chain : args.force ? Foreign::replace : Foreign::refuse);
  installer.check(paths.pre_receive);
  installer.check(paths.post_receive);
  // Only post-receive talks to the daemon.
  installer.install(paths.pre_receive, pre_binary, "");
  installer.install(paths.post_receive, post_binary, args.daemon_config);
  advertise_push_options(repo.get());
  bool config_ok = ensure_config(git_dir);
  if (layout == Layout::gitolite)
    std::cout << "pushgate: now run `gitolite setup --hooks-only` to copy the hooks into every repository\n";
  return config_ok ? ExitCode::ok : ExitCode::usage;
}

}  // namespace

void add_install_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<InstallArgs>();
  CLI::App* cmd = app.add_subcommand(
      "install",
      "Install pushgate's pre-receive and post-receive hooks into a repository, write a starter\n"
      "pushgate.yaml if it has none, and advertise push options. Running it again changes nothing.");
  add_repo_argument(cmd, args->repo);
  cmd->add_option("--layout", args->layout,
                  "bare (hooks/), gitolite (LOCAL_CODE/hooks/common/), gitea or forgejo "
                  "(hooks/pre-receive.d/), gitlab (custom_hooks/pre-receive.d/)");
  cmd->add_option("--local-code", args->local_code, "gitolite's LOCAL_CODE folder (with --layout gitolite)");
  cmd->add_option("--bin-dir", args->bin_dir,
                  "where pushgate-pre-receive and pushgate-post-receive are (default: next to pushgate)");
  cmd->add_option("--daemon-config", args->daemon_config,
                  "the pushgated.yaml of the daemon this repository's hooks hand jobs to");
  cmd->add_flag("--chain", args->chain, "keep an existing foreign hook and run it before pushgate's");
  cmd->add_flag("--force", args->force, "replace an existing foreign hook (kept as *.pushgate-backup)");
  cmd->callback([args, &exit_code] { exit_code = run_install(*args); });
}

}  // namespace pushgate::cli
