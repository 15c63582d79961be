#pragma once
// Text that came from a push (file names, ref names, manifest values, deploy
// command output) on its way to a terminal or a log line: control characters
// would let it forge lines ("\nremote: pushgate: push accepted") or drive the
// terminal (ESC sequences), so they are shown escaped instead.

#include <string>
#include <string_view>

namespace pushgate {

// Backslash::keep is for text that was escaped when it was written (the
// deploy log): escaping its backslashes again would double them.
enum class Backslash { escape, keep };

// `text` with every control character (C0, DEL and C1) written as `\n`,
// `\r`, `\t` or `\xNN`, every byte that is not part of valid UTF-8 as `\xNN`,
// and (Backslash::escape) a backslash as `\\`, so the escaped form reads back
// unambiguously. Printable ASCII and valid non-control UTF-8 are kept as they
// are: an ordinary path looks the same escaped.
std::string escape_control(std::string_view text, Backslash backslash = Backslash::escape);

// escape_control(text, backslash) appended to `out`: a caller writing many
// lines fills one buffer instead of a string per line.
void append_escaped(std::string& out, std::string_view text, Backslash backslash = Backslash::escape);

// escape_control for each line of `text`, keeping the line breaks between
// lines (a trailing "\r" of a line is dropped with its "\n"): for multi-line
// text such as a deploy log printed to a terminal.
std::string escape_lines(std::string_view text, Backslash backslash = Backslash::escape);

}  // namespace pushgate
