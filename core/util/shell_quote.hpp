#pragma once
// Quoting for a POSIX shell, for the strings pushgate hands to one: the hook
// scripts it writes, and the command an SSH exec channel runs.

#include <string>
#include <string_view>

namespace pushgate {

// `value` in single quotes, each ' written as '\'': the shell takes it as
// one word and expands nothing in it (newlines included).
std::string shell_quote(std::string_view value);

}  // namespace pushgate
