#pragma once
// `pushgate install --check REPO.git`: what install set up, checked without
// changing anything.

#include <string>

#include "cli/command.hpp"

namespace pushgate::cli {

enum class CheckFormat { text, json };

struct CheckArgs {
  std::string repo;
  std::string layout;  // empty: the one install recorded, else bare
  std::string local_code;
  std::string daemon_config;  // empty: the one post-receive names, else the system file
  CheckFormat format = CheckFormat::text;
};

// Prints one line per check (`ok: ...`, `warning: ...`, or `problem: ... fix: ...`),
// or one JSON object. Returns ok when there is no problem, findings (1)
// otherwise; throws Failure (ErrorCode::usage) when REPO cannot be opened.
ExitCode run_install_check(const CheckArgs& args);

}  // namespace pushgate::cli
