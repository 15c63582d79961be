#pragma once
// How subcommands plug into the `pushgate` CLI: each file registers one
// subcommand on the CLI11 app and sets the exit code when it runs.

#include <CLI/CLI.hpp>

#include <string>

namespace pushgate::cli {

// Exit codes shared by all subcommands.
enum class ExitCode { ok = 0, findings = 1, usage = 2, failure = 3 };

// The REPO.git argument of every subcommand that acts on a server repository.
void add_repo_argument(CLI::App* cmd, std::string& repo);
// --daemon-config FILE of the subcommands that talk to pushgated, with the
// lookup order in its help.
void add_daemon_config_option(CLI::App* cmd, std::string& file);

// Registers `pushgate validate`; its result goes to `exit_code`.
void add_validate_command(CLI::App& app, ExitCode& exit_code);
// Registers `pushgate install`; its result goes to `exit_code`.
void add_install_command(CLI::App& app, ExitCode& exit_code);
// Registers `pushgate uninstall`; its result goes to `exit_code`.
void add_uninstall_command(CLI::App& app, ExitCode& exit_code);
// Registers `pushgate status`, `deploy`, `rollback` and `log`; results go to `exit_code`.
void add_status_command(CLI::App& app, ExitCode& exit_code);
void add_deploy_command(CLI::App& app, ExitCode& exit_code);
void add_rollback_command(CLI::App& app, ExitCode& exit_code);
void add_log_command(CLI::App& app, ExitCode& exit_code);
// Registers `pushgate diff`; its result goes to `exit_code`.
void add_diff_command(CLI::App& app, ExitCode& exit_code);
// Registers `pushgate hosts`; its result goes to `exit_code`.
void add_hosts_command(CLI::App& app, ExitCode& exit_code);
// Registers `pushgate schemas fetch`; its result goes to `exit_code`.
void add_schemas_command(CLI::App& app, ExitCode& exit_code);

}  // namespace pushgate::cli
