#include "cli/install_check.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli/hook_script.hpp"
#include "cli/install_files.hpp"
#include "cli/install_record.hpp"
#include "cli/repo_settings.hpp"
#include "core/config/config_reader.hpp"
#include "core/jobs/control_client.hpp"
#include "core/config/daemon_config.hpp"
#include "core/git/git.hpp"
#include "validators/schema/schema_sources.hpp"
#include "core/jobs/job.hpp"
#include "core/config/repo_config.hpp"
#include "core/git/shared_repository.hpp"
#include "core/util/trusted_file.hpp"

namespace fs = std::filesystem;

namespace pushgate::cli {

namespace {

enum class Status { ok, warning, problem };

struct Check {
  Status status;
  std::string message;
  std::string fix;
};

class Checks {
 public:
  void ok(std::string message) { m_checks.push_back({Status::ok, std::move(message), {}}); }
  void warning(std::string message) { m_checks.push_back({Status::warning, std::move(message), {}}); }
  void problem(std::string message, std::string fix) {
    m_checks.push_back({Status::problem, std::move(message), std::move(fix)});
  }
  // check_trusted's error carries its fix after ". Fix: ".
  void problem(const Error& error) {
    std::size_t at = error.message.find(". Fix: ");
    if (at == std::string::npos) return problem(error.message, "");
    problem(error.message.substr(0, at), error.message.substr(at + 7));
  }

  bool any_problem() const {
    for (const auto& c : m_checks)
      if (c.status == Status::problem) return true;
    return false;
  }

  void print(CheckFormat format, const fs::path& git_dir) const {
    static constexpr const char* names[] = {"ok", "warning", "problem"};
    if (format == CheckFormat::json) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& c : m_checks)
        list.push_back({{"status", names[static_cast<int>(c.status)]}, {"message", c.message}, {"fix", c.fix}});
      nlohmann::json out = {{"repository", git_dir.string()}, {"ok", !any_problem()}, {"checks", list}};
      std::cout << out.dump(2) << '\n';
      return;
    }
    for (const auto& c : m_checks)
      std::cout << names[static_cast<int>(c.status)] << ": " << c.message
                << (c.fix.empty() ? "" : " fix: " + c.fix) << '\n';
  }

 private:
  std::vector<Check> m_checks;
};

// `command`: the install command line that writes the hook again.
void check_hook(Checks& checks, const fs::path& hook, const std::string& command) {
  std::string reinstall = fmt::format("run `{}`", command);
  if (!hook_exists(hook)) return checks.problem(fmt::format("{} is missing: pushes are not checked", hook.string()), reinstall);
  if (fs::is_symlink(fs::symlink_status(hook)))
    return checks.problem(fmt::format("{} is a symbolic link: git skips it without a word when its target is gone",
                                      hook.string()),
                          reinstall + " (it writes a script that rejects pushes when the program is gone)");
  if (!is_ours(hook))
    return checks.problem(fmt::format("{} is not pushgate's hook", hook.string()),
                          fmt::format("run `{} --chain` (or --force)", command));
  if (::access(hook.c_str(), X_OK) != 0)
    return checks.problem(fmt::format("{} is not executable: git skips it", hook.string()),
                          fmt::format("chmod 0755 {}", hook.string()));
  std::string script = read_file(hook.string()).value();
  auto program = script_program(script);
  if (!program)
    return checks.problem(fmt::format("{} was written by an older pushgate and does not check its program",
                                      hook.string()),
                          reinstall);
  if (::access(program->c_str(), X_OK) != 0)
    return checks.problem(
        fmt::format("{} runs {}, which is missing or not executable: every push is rejected", hook.string(), *program),
        fmt::format("reinstall pushgate, or run `{} --bin-dir DIR`", command));
  checks.ok(fmt::format("{} runs {}", hook.string(), *program));
  fs::path chained = hook;
  if (!runs_without_shell(script) && fits_shebang(*program) && !hook_exists(chained += ".pushgate-chained"))
    checks.warning(fmt::format("{} starts /bin/sh on every push (written by an older pushgate); running `{}` "
                               "again makes git run {} directly",
                               hook.string(), command, *program));
}

// gitolite links each repository's hooks to LOCAL_CODE/hooks/common on
// `gitolite setup --hooks-only`; until then the repository runs none of them.
void check_gitolite_links(Checks& checks, const HookPaths& paths, const fs::path& git_dir) {
  for (const auto& common : {paths.pre_receive, paths.post_receive}) {
    fs::path hook = git_dir / "hooks" / common.filename();
    std::error_code ec;
    if (fs::equivalent(hook, common, ec))
      checks.ok(fmt::format("{} leads to {}", hook.string(), common.string()));
    else
      checks.problem(fmt::format("{} does not lead to {}: gitolite has not linked it", hook.string(), common.string()),
                     "run `gitolite setup --hooks-only` as the hosting user");
  }
}

void check_owner_and_mode(Checks& checks, const fs::path& path, uid_t owner) {
  if (!fs::exists(fs::symlink_status(path))) return;
  auto trusted = check_trusted(path, {owner});
  if (trusted) return checks.ok(fmt::format("{} can be written by its owner alone", path.string()));
  checks.problem(trusted.error());
}

// A git directory made with --shared=group must stay group-writable for
// pushes to work: every member of the group can then change its config and
// hooks, which no mode can prevent.
void check_git_dir(Checks& checks, git_repository* repo, const fs::path& git_dir, uid_t owner) {
  auto trusted = check_trusted(git_dir, {owner});
  if (trusted) return checks.ok(fmt::format("{} belongs to {} and only they can write it", git_dir.string(),
                                            account_name(owner)));
  if (auto shared = SharedRepository::of(repo); shared && shared->shared())
    return checks.warning(fmt::format("{} is shared with its group (core.sharedRepository): every member can change "
                                      "its config and hooks/, so they can run commands as each other; use one "
                                      "hosting account (gitolite, Gitea, smart HTTP) for pushers who do not trust "
                                      "each other",
                                      git_dir.string()));
  checks.problem(trusted.error());
}

void check_settings(Checks& checks, git_repository* repo, const std::string& command) {
  for (const auto& key : k_install_settings) {
    if (setting_is_true(repo, key)) checks.ok(fmt::format("{} is true", key));
    else checks.problem(fmt::format("{} is not true", key), fmt::format("run `{}`", command));
  }
}

fs::path daemon_config_file(const CheckArgs& args, const fs::path& post_receive) {
  if (!args.daemon_config.empty()) return fs::absolute(args.daemon_config);
  if (auto script = read_file(post_receive.string()))
    if (auto named = script_daemon_config(*script)) return *named;
  return std::string(k_default_hook_daemon_config);
}

void check_daemon(Checks& checks, const fs::path& file, const fs::path& git_dir) {
  if (!fs::exists(file))
    return checks.problem(fmt::format("{} does not exist: no deploy is queued", file.string()),
                          fmt::format("write it (INSTALL.md section 11) with `repositories: [{}]`", git_dir.string()));
  // As the hooks read it: believed when root's, the caller's or the repository owner's.
  auto config = load_daemon_config(file, ConfigTrust::for_repository(git_dir));
  if (!config) return checks.problem(config.error().message, fmt::format("correct {}", file.string()));
  std::string identity = repo_identity(git_dir.string());
  if (serves_repository(*config, identity))
    checks.ok(fmt::format("pushgated ({}) serves {}", file.string(), identity));
  else
    checks.problem(fmt::format("pushgated ({}) does not serve {}: its pushes are never deployed", file.string(),
                               identity),
                   fmt::format("add it to `repositories:` in {} and reload pushgated", file.string()));
  if (auto version = ping_daemon(config->socket, std::chrono::milliseconds(2000)))
    checks.ok(fmt::format("pushgated {} answers on {}", *version, config->socket.string()));
  else
    checks.problem(fmt::format("no pushgated answers on {}: deploys wait in the spool", config->socket.string()),
                   fmt::format("start it (systemctl start pushgated, or pushgated --config {})", file.string()));
}

// Compiles them when the cache is stale, so running the check as the owner
// (or root) also saves pushers the compile time.
void check_schemas(Checks& checks, const ValidateSettings& settings, const fs::path& git_dir) {
  auto loaded = schema::load_repository_schemas(settings, git_dir.string());
  if (!loaded) return checks.problem(loaded.error().message, "correct validate.schemas: every push is rejected until then");
  fs::path cache = git_dir / schema::k_schema_cache_name;
  checks.ok(fmt::format("validate.schemas: {} source file{}, {} kinds", loaded->files.size(),
                        loaded->files.size() == 1 ? "" : "s", loaded->set->kind_count()));
  if (loaded->compiled && !loaded->cache_written)
    checks.warning(fmt::format("{} is out of date and this account cannot rewrite it: every push compiles the "
                               "schemas again until the repository's owner or root runs this check",
                               cache.string()));
}

}  // namespace

ExitCode run_install_check(const CheckArgs& args) {
  git::RepositoryPtr repo = git::open(args.repo).value();
  fs::path git_dir = absolute_git_dir(repo.get());
  Checks checks;
  auto record = load_install_record(git_dir);
  if (!record) checks.problem(record.error());
  const InstallRecord* recorded = record && *record ? &**record : nullptr;
  auto [layout, local_code] = choose_layout(args.layout, args.local_code, recorded);
  std::string reinstall = install_command_line({layout, local_code}, git_dir, "");
  HookPaths paths = hook_paths(layout, git_dir, local_code);
  check_hook(checks, paths.pre_receive, reinstall);
  check_hook(checks, paths.post_receive, reinstall);
  if (layout == Layout::gitolite) check_gitolite_links(checks, paths, git_dir);

  uid_t owner = owner_of(git_dir).value();
  check_git_dir(checks, repo.get(), git_dir, owner);
  for (const auto& folder : hook_folders(layout, git_dir, local_code)) check_owner_and_mode(checks, folder, owner);
  for (const auto& hook : {paths.pre_receive, paths.post_receive}) {
    check_owner_and_mode(checks, hook, owner);
    fs::path chained = hook;
    check_owner_and_mode(checks, chained += ".pushgate-chained", owner);
  }
  fs::path config_file = git_dir / k_repo_config_name;
  check_owner_and_mode(checks, config_file, owner);
  auto config = load_repo_config(git_dir.string());
  if (config) checks.ok(fmt::format("{} is valid", config_file.string()));
  else checks.problem(config.error().message, fmt::format("correct {}: every push is rejected until then", config_file.string()));
  if (config && !config->validate.schemas.empty()) check_schemas(checks, config->validate, git_dir);
  check_settings(checks, repo.get(), reinstall);

  if (config && config->environments.empty())
    checks.ok(fmt::format("{} names no environments: nothing to deploy, no daemon needed", config_file.string()));
  else
    check_daemon(checks, daemon_config_file(args, paths.post_receive), git_dir);
  checks.print(args.format, git_dir);
  return checks.any_problem() ? ExitCode::findings : ExitCode::ok;
}

}  // namespace pushgate::cli
