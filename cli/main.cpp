// pushgate: the command line. One file per subcommand (cli/*_command.cpp).

#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"
#include "core/util/error.hpp"
#include "core/git/git.hpp"

int main(int argc, char** argv) {
  using pushgate::cli::ExitCode;
  CLI::App app{"pushgate: validate pushed deployment manifests and deploy accepted commits"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "pushgate 0.1.0");
  ExitCode exit_code = ExitCode::ok;
  pushgate::cli::add_validate_command(app, exit_code);
  pushgate::cli::add_install_command(app, exit_code);
  pushgate::cli::add_uninstall_command(app, exit_code);
  pushgate::cli::add_status_command(app, exit_code);
  pushgate::cli::add_deploy_command(app, exit_code);
  pushgate::cli::add_rollback_command(app, exit_code);
  pushgate::cli::add_log_command(app, exit_code);
  pushgate::cli::add_hosts_command(app, exit_code);
  pushgate::cli::add_diff_command(app, exit_code);
  pushgate::cli::add_schemas_command(app, exit_code);

  pushgate::git::Library git;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::usage);
  } catch (const pushgate::Failure& e) {
    std::cerr << "pushgate: error: " << e.what() << '\n';
    bool usage = e.code() == pushgate::ErrorCode::usage || e.code() == pushgate::ErrorCode::config;
    return static_cast<int>(usage ? ExitCode::usage : ExitCode::failure);
  } catch (const std::exception& e) {
    std::cerr << "pushgate: error: " << e.what() << '\n';
    return static_cast<int>(ExitCode::failure);
  }
  return static_cast<int>(exit_code);
}
