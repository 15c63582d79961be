#include "hooks/hook_file.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "core/util/trusted_file.hpp"

namespace pushgate {

std::string hook_git_dir() {
  const char* git_dir = std::getenv("GIT_DIR");
  return git_dir && *git_dir ? git_dir : ".";
}

Expected<HookSettings> read_hook_file(const std::filesystem::path& hook_file, const std::filesystem::path& git_dir) {
  auto owner = owner_of(git_dir);
  if (!owner) return owner.error();
  // A hook file is a few hundred bytes; anything big is not one.
  auto read = read_trusted_file(hook_file, {*owner}, 64u << 10);
  if (!read) return read.error();
  if (read->missing)
    return Error{ErrorCode::io, fmt::format("cannot read the hook file '{}': it does not exist", hook_file.string())};
  auto settings = parse_hook_settings(read->text);
  if (!settings)
    return Error{settings.error().code, fmt::format("{}: {}", hook_file.string(), settings.error().message)};
  return settings;
}

}  // namespace pushgate
