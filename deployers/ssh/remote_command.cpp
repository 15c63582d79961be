#include "deployers/ssh/remote_command.hpp"

#include <fmt/format.h>

#include <cctype>

#include "core/util/error.hpp"
#include "core/util/shell_quote.hpp"

namespace pushgate::ssh {

namespace {

bool variable_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

}  // namespace

std::string remote_command(const ProcessSpec& spec) {
  if (spec.argv.empty()) throw Failure(ErrorCode::usage, "remote command: empty argv");
  std::string out;
  if (!spec.cwd.empty()) out = "cd -- " + shell_quote(spec.cwd.string()) + " && ";
  out += "exec env --";
  for (const auto& [name, value] : spec.env) {
    if (!variable_name(name))
      throw Failure(ErrorCode::usage, fmt::format("remote command: '{}' is not a variable name", name));
    out += " " + shell_quote(name + "=" + value);
  }
  // env takes a leading NAME=VALUE word for a variable, not the program.
  if (spec.argv.front().find('=') != std::string::npos)
    throw Failure(ErrorCode::usage,
                  fmt::format("remote command: program '{}' contains '=': env would take it for a variable",
                              spec.argv.front()));
  for (const auto& arg : spec.argv) out += " " + shell_quote(arg);
  return out;
}

}  // namespace pushgate::ssh
