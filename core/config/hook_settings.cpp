#include "core/config/hook_settings.hpp"

#include <fmt/format.h>

#include <optional>

#include "core/util/shell_quote.hpp"

namespace pushgate {

namespace {

struct Field {
  std::string_view name;
  std::string HookSettings::*member;
};

constexpr Field k_fields[] = {
    {"program", &HookSettings::program},
    {"daemon_config", &HookSettings::daemon_config},
    {"identity_from", &HookSettings::identity_from},
};

bool is_name(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!(c == '_' || (c >= 'a' && c <= 'z'))) return false;
  return true;
}

// Reverses shell_quote: quoted runs and backslash escapes, nothing else.
std::optional<std::string> shell_unquote(std::string_view text) {
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'') {
      quoted = !quoted;
    } else if (quoted) {
      out += c;
    } else if (c == '\\' && i + 1 < text.size()) {
      out += text[++i];
    } else {
      return std::nullopt;  // not something shell_quote wrote
    }
  }
  if (quoted || text.empty()) return std::nullopt;
  return out;
}

}  // namespace

std::string format_hook_settings(const HookSettings& settings) {
  std::string out;
  for (const auto& field : k_fields) {
    const std::string& value = settings.*field.member;
    if (!value.empty() || field.member == &HookSettings::program)
      out += fmt::format("{}={}\n", field.name, shell_quote(value));
  }
  return out;
}

Expected<HookSettings> parse_hook_settings(std::string_view text) {
  HookSettings settings;
  std::size_t at = text.find('\n');  // the first line is the #! line
  while (at != std::string_view::npos && at + 1 < text.size()) {
    std::size_t start = at + 1;
    at = text.find('\n', start);
    std::string_view line = text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start);
    if (line.starts_with('#')) continue;
    std::size_t equals = line.find('=');
    std::string_view name = line.substr(0, equals);
    if (equals == std::string_view::npos || !is_name(name)) break;  // the end of the block
    const Field* field = nullptr;
    for (const auto& f : k_fields)
      if (f.name == name) field = &f;
    if (!field)
      return Error{ErrorCode::config,
                   fmt::format("unknown hook setting '{}' (written by a newer pushgate?)", name)};
    // A value is whole on its line: one with a quoted newline is not ours.
    auto value = shell_unquote(line.substr(equals + 1));
    if (!value)
      return Error{ErrorCode::config, fmt::format("the hook setting '{}' is not a quoted value", name)};
    settings.*field->member = std::move(*value);
  }
  return settings;
}

}  // namespace pushgate
