#include "core/git/shared_repository.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/git/git.hpp"

namespace pushgate {

namespace fs = std::filesystem;

namespace {

constexpr int k_perm_group = 0660;
constexpr int k_perm_everybody = 0664;

std::optional<bool> parse_bool(std::string_view v) {
  std::string lower;
  for (char c : v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "no" || lower == "off" || lower.empty()) return false;
  return std::nullopt;
}

}  // namespace

std::optional<SharedRepository> SharedRepository::parse(std::string_view value, std::string* error) {
  if (value == "umask") return SharedRepository();
  if (value == "group") return SharedRepository(k_perm_group);
  if (value == "all" || value == "world" || value == "everybody") return SharedRepository(k_perm_everybody);
  std::string text(value);
  char* end = nullptr;
  long mode = std::strtol(text.c_str(), &end, 8);
  if (text.empty() || *end != '\0') {
    auto flag = parse_bool(value);
    if (!flag) {
      if (error)
        *error = fmt::format("core.sharedRepository '{}' is not group, all, umask, a boolean or an octal mode", text);
      return std::nullopt;
    }
    return *flag ? SharedRepository(k_perm_group) : SharedRepository();
  }
  switch (mode) {
    case 0: return SharedRepository();
    case 1: return SharedRepository(k_perm_group);
    case 2: return SharedRepository(k_perm_everybody);
    default: break;
  }
  if ((mode & 0600) != 0600) {
    if (error)
      *error = fmt::format("core.sharedRepository '{}': the owner of files must always have read and write "
                           "permissions",
                           text);
    return std::nullopt;
  }
  // Others never get write permission; x bits come from r bits, for folders.
  return SharedRepository(-static_cast<int>(mode & 0666));
}

Expected<SharedRepository> SharedRepository::of(git_repository* repo) {
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) < 0) return git::git_failure("cannot read the repository's config");
  std::unique_ptr<git_config, git::Deleter<git_config, git_config_free>> config(raw);
  git_buf value = GIT_BUF_INIT;
  int rc = git_config_get_string_buf(&value, raw, "core.sharedRepository");
  if (rc == GIT_ENOTFOUND) return SharedRepository();
  if (rc < 0) return git::git_failure("cannot read core.sharedRepository");
  std::string text(value.ptr, value.size);
  git_buf_dispose(&value);
  std::string error;
  auto parsed = parse(text, &error);
  if (!parsed) return Error{ErrorCode::config, fmt::format("{} in {}config", error, git_repository_commondir(repo))};
  return *parsed;
}

mode_t SharedRepository::adjusted(mode_t mode) const {
  if (m_perm == 0) return mode;
  int tweak = m_perm < 0 ? -m_perm : m_perm;
  if (!(mode & S_IWUSR)) tweak &= ~0222;
  if (mode & S_IXUSR) tweak |= (tweak & 0444) >> 2;  // read bits to execute bits
  mode_t out = m_perm < 0 ? (mode & ~0777) | static_cast<mode_t>(tweak) : mode | static_cast<mode_t>(tweak);
  if (S_ISDIR(mode)) {
    out |= (out & 0444) >> 2;
    // New entries keep the repository's group.
    if (out & (S_IRGRP | S_IWGRP)) out |= S_ISGID;
  }
  return out;
}

bool SharedRepository::adjust(const fs::path& path) const {
  if (m_perm == 0) return true;
  struct stat st {};
  if (::lstat(path.c_str(), &st) < 0 || S_ISLNK(st.st_mode)) return false;
  mode_t wanted = adjusted(st.st_mode);
  if (((st.st_mode ^ wanted) & ~S_IFMT) == 0) return true;
  return ::chmod(path.c_str(), wanted & ~S_IFMT) == 0;
}

Expected<bool> SharedRepository::make_folders(const fs::path& base, const fs::path& relative) const {
  fs::path folder = base;
  for (const auto& part : relative) {
    if (part.empty() || part == ".") continue;
    folder /= part;
    if (::mkdir(folder.c_str(), 0777) < 0 && errno != EEXIST)
      return Error{ErrorCode::io, fmt::format("cannot create '{}': {}", folder.string(), std::strerror(errno))};
    if (!shared()) continue;
    struct stat st {};
    bool mine = ::stat(folder.c_str(), &st) == 0 && st.st_uid == ::geteuid();
    // A folder of another account that lacks bits is theirs to fix.
    if (mine && !adjust(folder))
      return Error{ErrorCode::io, fmt::format("cannot set the shared mode of '{}': {}", folder.string(),
                                              std::strerror(errno))};
  }
  return true;
}

}  // namespace pushgate
