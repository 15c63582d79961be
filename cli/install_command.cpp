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

bool is_ours(const std::string& content) {
  return content.find(k_hook_marker) != std::string::npos;
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

class Installer {
 public:
  Installer(const InstallArgs& args, Foreign foreign) : m_args(args), m_foreign(foreign) {}

  // Refuses, before writing anything, when a foreign hook is in the way.
  void check(const fs::path& hook) const {
    if (!fs::exists(hook) || m_foreign != Foreign::refuse) return;
    if (is_ours(read_file(hook.string()).value())) return;
    throw Failure(ErrorCode::usage,
                  fmt::format("'{}' is not pushgate's hook. Run again with --chain to run it "
                              "before pushgate's, or --force to replace it (it is kept as "
                              "{}.pushgate-backup)",
                              hook.string(), hook.filename().string()));
  }

  void install(const fs::path& hook, const fs::path& binary) const {
    fs::path chained = hook;
    chained += ".pushgate-chained";
    bool exists = fs::exists(hook);
    std::string current = exists ? read_file(hook.string()).value() : "";
    if (exists && !is_ours(current)) {
      fs::path keep = hook;
      keep += m_foreign == Foreign::chain ? ".pushgate-chained" : ".pushgate-backup";
      if (fs::exists(keep))
        throw Failure(ErrorCode::usage, fmt::format("'{}' already exists; move it away first", keep.string()));
      fs::rename(hook, keep);
      std::cout << fmt::format("pushgate: kept the previous hook as {}\n", keep.string());
    }
    std::string script = hook_script(binary, fs::exists(chained) ? chained : fs::path(),
                                     m_args.daemon_config.empty()
                                         ? fs::path()
                                         : fs::absolute(m_args.daemon_config));
    if (exists && current == script) {
      std::cout << fmt::format("pushgate: {} is up to date\n", hook.string());
      return;
    }
    write_atomically(hook, script, fs::perms::owner_all | fs::perms::group_read |
                                       fs::perms::group_exec | fs::perms::others_read |
                                       fs::perms::others_exec);
    std::cout << fmt::format("pushgate: wrote {}\n", hook.string());
  }

 private:
  const InstallArgs& m_args;
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
  Installer installer(args, args.chain ? Foreign::chain : args.force ? Foreign::replace : Foreign::refuse);
  installer.check(paths.pre_receive);
  installer.check(paths.post_receive);
  installer.install(paths.pre_receive, pre_binary);
  installer.install(paths.post_receive, post_binary);
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
