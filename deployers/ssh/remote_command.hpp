#pragma once
// The command string an SSH exec channel hands to the remote account's
// shell. OpenSSH has no argv on the wire: the server runs `$SHELL -c
// STRING`, so every value is quoted for a POSIX shell here and nothing in a
// path, a commit message or a variable can be interpreted by it. Variables
// travel as `env -- K=V ...` in the same string, so they do not depend on
// the server's AcceptEnv. The remote account's shell must be a POSIX shell
// (sh, bash, dash, zsh, ksh), as for any SSH deploy tool.

#include <string>

#include "core/util/process.hpp"

namespace pushgate::ssh {

// The string that runs `spec.argv` remotely with `spec.env` set and, when
// `spec.cwd` is not empty, in that folder:
//   cd -- 'DIR' && exec env -- 'K=V' ... 'argv0' 'argv1' ...
// spec.timeout is not part of it (the caller bounds the channel). Throws
// Failure (ErrorCode::usage) for an empty argv or a variable name that is
// not [A-Za-z_][A-Za-z0-9_]*, or a program name holding '=', which env would
// misread.
std::string remote_command(const ProcessSpec& spec);

}  // namespace pushgate::ssh
