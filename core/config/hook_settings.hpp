#pragma once
// The settings a hook file of `pushgate install` carries, in a form both sh
// and the hook programs read: after the first line, comment lines, then one
// `name='value'` line per setting (the value quoted as core/util/shell_quote
// writes it, so sh assigns exactly that value). The block ends at the first
// line that is neither; what follows is sh code the programs do not read.
//
//   #!/usr/local/bin/pushgate-post-receive --hook-file
//   # pushgate-managed: ...
//   program='/usr/local/bin/pushgate-post-receive'
//   daemon_config='/etc/pushgate/pushgated.yaml'
//   identity_from='GL_USER'

#include <string>
#include <string_view>

#include "core/util/error.hpp"

namespace pushgate {

struct HookSettings {
  std::string program;        // the hook program, absolute; never empty in a file install wrote
  std::string daemon_config;  // post-receive: its --daemon-config; empty: the default
  std::string identity_from;  // the --identity-from of the layout; empty: none
};

// The settings block for `settings`: program always, the others when set.
std::string format_hook_settings(const HookSettings& settings);

// Reads the settings block of `text`, a whole hook file. A setting it does
// not know, or a value that is not single-quoted the way shell_quote writes
// it, is an Error (ErrorCode::config): a hook file from a newer pushgate may
// carry a setting this one would ignore. A file without a block gives empty
// settings.
Expected<HookSettings> parse_hook_settings(std::string_view text);

}  // namespace pushgate
