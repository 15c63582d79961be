#include "deployers/release_snapshot.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>

#include "core/util/unique_fd.hpp"

namespace pushgate {

namespace {

char type_letter(mode_t mode) {
  if (S_ISREG(mode)) return 'f';
  if (S_ISDIR(mode)) return 'd';
  if (S_ISLNK(mode)) return 'l';
  if (S_ISFIFO(mode)) return 'p';
  if (S_ISSOCK(mode)) return 's';
  if (S_ISCHR(mode)) return 'c';
  if (S_ISBLK(mode)) return 'b';
  return 'U';
}

Error io_error(const std::string& path, std::string_view what) {
  return {ErrorCode::io, fmt::format("cannot {} '{}': {}", what, path, std::strerror(errno))};
}

// Adds what the open folder `fd` holds, under `prefix`, to `out`.
std::optional<Error> walk(int fd, const std::string& prefix, const std::string& shown, Snapshot& out) {
  // fdopendir takes the descriptor over; a duplicate keeps `fd` for fstatat.
  int listing = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  std::unique_ptr<DIR, int (*)(DIR*)> dir(listing < 0 ? nullptr : ::fdopendir(listing), ::closedir);
  if (!dir) {
    if (listing >= 0) ::close(listing);
    return io_error(prefix.empty() ? shown : shown + "/" + prefix, "read folder");
  }
  while (dirent* d = ::readdir(dir.get())) {
    std::string_view name = d->d_name;
    if (name == "." || name == "..") continue;
    std::string path = prefix.empty() ? std::string(name) : prefix + "/" + std::string(name);
    struct stat st {};
    if (::fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return io_error(shown + "/" + path, "stat");
    out[path] = {type_letter(st.st_mode), static_cast<unsigned>(st.st_mode & 07777),
                 static_cast<std::uint64_t>(st.st_size),
                 fmt::format("{}.{:09}", st.st_mtim.tv_sec, st.st_mtim.tv_nsec)};
    if (!S_ISDIR(st.st_mode)) continue;
    UniqueFd sub(::openat(fd, d->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub) return io_error(shown + "/" + path, "open folder");
    if (auto e = walk(sub.get(), path, shown, out)) return e;
  }
  return std::nullopt;
}

bool safe_path(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  for (std::size_t begin = 0; begin <= path.size();) {
    std::size_t end = std::min(path.find('/', begin), path.size());
    std::string_view part = path.substr(begin, end - begin);
    if (part.empty() || part == "." || part == "..") return false;
    begin = end + 1;
  }
  return true;
}

template <typename T>
bool parse_number(std::string_view text, T& out, int base) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Expected<Snapshot> snapshot_folder(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return io_error(dir.string(), "open folder");
  Snapshot out;
  if (auto e = walk(fd.get(), "", dir.string(), out)) return *e;
  return out;
}

std::string serialize(const Snapshot& snapshot) {
  std::string out;
  for (const auto& [path, e] : snapshot) {
    out += fmt::format("{} {:o} {} {} {}", e.type, e.mode, e.size, e.mtime, path);
    out.push_back('\0');
  }
  return out;
}

Expected<Snapshot> parse_snapshot(std::string_view text) {
  Snapshot out;
  auto bad = [](std::string_view why) { return Error{ErrorCode::input, fmt::format("snapshot: {}", why)}; };
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find('\0', begin);
    if (end == std::string_view::npos) return bad("the last entry is cut off");
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    std::string_view fields[4];
    for (auto& field : fields) {
      std::size_t space = line.find(' ');
      if (space == std::string_view::npos) return bad("an entry is not TYPE MODE SIZE MTIME PATH");
      field = line.substr(0, space);
      line.remove_prefix(space + 1);
    }
    SnapshotEntry e;
    if (fields[0].size() != 1) return bad(fmt::format("unknown type '{}'", fields[0]));
    e.type = fields[0][0];
    if (!parse_number(fields[1], e.mode, 8) || !parse_number(fields[2], e.size, 10) || fields[3].empty())
      return bad(fmt::format("a malformed entry for '{}'", line));
    e.mtime = fields[3];
    if (!safe_path(line)) return bad(fmt::format("unsafe path '{}'", line));
    out[std::string(line)] = std::move(e);
  }
  return out;
}

}  // namespace pushgate
