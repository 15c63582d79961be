#pragma once
// pushgated's own log: one line per event on standard error, which systemd
// keeps in the journal. Safe to call from any thread.

#include <fmt/format.h>

#include <string_view>

namespace pushgate::daemon {

// Writes "pushgated: <message>" and a newline as one write, with control
// characters of `message` escaped (core/util/terminal_text.hpp): one event is
// always one line.
void log_event(std::string_view message);

template <class... Args>
void log_event(fmt::format_string<Args...> format, Args&&... args) {
  log_event(std::string_view(fmt::format(format, std::forward<Args>(args)...)));
}

}  // namespace pushgate::daemon
