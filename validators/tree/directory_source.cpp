#include "validators/tree/directory_source.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/config/config_reader.hpp"

namespace fs = std::filesystem;

namespace pushgate {

namespace {

std::string display(std::string path) {
  std::size_t dots = 0;
  while (path.compare(dots, 2, "./") == 0) dots += 2;
  path.erase(0, dots);
  return path;
}

std::string display(const fs::path& p) { return display(p.generic_string()); }

// A symbolic link in the folder `root` is validated as the file it leads
// to, which must be inside `root`, as a pushed tree's links must stay in the
// tree (validators/tree/tree_links.hpp).
ManifestEntry link_entry(const fs::path& link, const fs::path& root) {
  ManifestEntry entry(display(link));
  std::error_code ec;
  std::string text = fs::read_symlink(link, ec).string();
  auto problem = [&](std::string_view what, std::string_view fix) {
    entry.problem = fmt::format("the symbolic link (to '{}') {}; {}", text, what, fix);
    return entry;
  };
  fs::path target = fs::canonical(link, ec);
  if (ec)
    return problem(fmt::format("cannot be followed: {}", ec.message()),
                   "point it at a file inside the folder, or remove it");
  fs::path inside = target.lexically_relative(fs::canonical(root, ec));
  if (ec || inside.empty() || *inside.begin() == "..")
    return problem(fmt::format("leads to '{}', outside '{}'", target.string(), root.string()),
                   "put the file itself there, or link to a file inside the folder");
  if (!fs::is_regular_file(target, ec))
    return problem(fmt::format("leads to '{}', which is not a regular file", target.string()), "point it at a file");
  entry.link = display(root / inside);
  return entry;
}

enum class EntryType { file, link, folder };

using DirPtr = std::unique_ptr<DIR, int (*)(DIR*)>;

// Calls visit(relative, type) for every regular file and symbolic link below
// the folder `base` + `folder` (each empty or ending in '/'), in path order,
// entering every folder but .git and following no link; folders it may not
// read are skipped. POSIX calls rather than std::filesystem's iterator, which
// spent thousands of instructions per entry building paths: on a large tree
// the walk is what every worker waits for. Each folder's names are sorted,
// a folder's with the '/' that follows it, before any is visited: the paths
// then come out sorted, and a sort of all the entries is not needed.
template <class Visit>
void walk(const std::string& base, const std::string& folder, Visit& visit) {
  auto failed = [&] {
    return Failure(ErrorCode::io, fmt::format("cannot walk '{}': {}", base + folder, std::strerror(errno)));
  };
  std::vector<std::pair<std::string, EntryType>> names;
  {
    DirPtr dir(::opendir((base + folder).c_str()), ::closedir);
    if (!dir && errno == EACCES) return;
    if (!dir) throw failed();
    while (true) {
      errno = 0;
      const dirent* e = ::readdir(dir.get());
      if (!e && errno != 0) throw failed();
      if (!e) break;
      std::string_view name = e->d_name;
      if (name == "." || name == "..") continue;
      unsigned char type = e->d_type;
      if (type == DT_UNKNOWN) {  // the file system does not say: ask
        struct stat st {};
        if (::fstatat(::dirfd(dir.get()), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        type = S_ISLNK(st.st_mode) ? DT_LNK : S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
      }
      if (type == DT_DIR && name != ".git") names.emplace_back(std::string(name) + '/', EntryType::folder);
      else if (type == DT_LNK) names.emplace_back(name, EntryType::link);
      else if (type == DT_REG) names.emplace_back(name, EntryType::file);
    }
  }
  std::sort(names.begin(), names.end());
  std::string relative;
  for (const auto& [name, type] : names) {
    relative.assign(folder).append(name);
    if (type == EntryType::folder) walk(base, relative, visit);
    else visit(relative, type);
  }
}

}  // namespace

DirectorySource::DirectorySource(const std::vector<std::string>& arguments, const PathFilter& filter,
                                 Unselected unselected) {
  for (const auto& arg : arguments) {
    std::error_code ec;
    auto status = fs::status(arg, ec);
    if (ec || !fs::exists(status))
      throw Failure(ErrorCode::usage, fmt::format("'{}' does not exist", arg));
    if (!fs::is_directory(status)) {
      m_entries.push_back({display(arg)});
      continue;
    }
    std::string base = arg.ends_with('/') ? arg : arg + '/';
    // What display() leaves of base + relative, relative holding no "./".
    std::string shown = display(base);
    // The selected paths are gathered first and made entries in a vector
    // reserved once: an entry holds four strings, and growing a vector of
    // 33,000 of them touched twice their size in fresh pages, while every
    // worker waits for the walk.
    std::vector<std::pair<std::string, EntryType>> selected;  // shown + relative
    auto visit = [&](const std::string& relative, EntryType type) {
      // Globs apply to the path below the folder named, so `validate deploy`
      // and `validate .` select the same files.
      if (filter.selects(relative)) selected.emplace_back(shown + relative, type);
      else if (type == EntryType::file && unselected == Unselected::keep) m_unselected.push_back({shown + relative});
    };
    walk(base, "", visit);
    // Sizes are learnt when the engine's threads open the files
    // (read_within): a stat per file here would hold every worker back
    // until the walk ends.
    m_entries.reserve(m_entries.size() + selected.size());
    for (auto& [path, type] : selected)
      m_entries.push_back(type == EntryType::link ? link_entry(base + path.substr(shown.size()), arg)
                                                  : ManifestEntry(std::move(path)));
  }
  auto by_path = [](const auto& a, const auto& b) { return a.path < b.path; };
  auto same_path = [](const auto& a, const auto& b) { return a.path == b.path; };
  // Sorted already unless several arguments were given.
  if (!std::is_sorted(m_entries.begin(), m_entries.end(), by_path))
    std::sort(m_entries.begin(), m_entries.end(), by_path);
  m_entries.erase(std::unique(m_entries.begin(), m_entries.end(), same_path), m_entries.end());
  // A file named as an argument is an entry, though a folder walked holds it too.
  if (!std::is_sorted(m_unselected.begin(), m_unselected.end(), by_path))
    std::sort(m_unselected.begin(), m_unselected.end(), by_path);
  std::erase_if(m_unselected, [&](const ManifestEntry& e) {
    return std::binary_search(m_entries.begin(), m_entries.end(), e, by_path);
  });
  m_unselected.erase(std::unique(m_unselected.begin(), m_unselected.end(), same_path), m_unselected.end());
}

Expected<std::string> DirectorySource::read(const ManifestEntry& entry) const {
  return read_file(entry.path);
}

Expected<BoundedRead> DirectorySource::read_within(const ManifestEntry& entry, std::uint64_t limit) const {
  return read_bounded(entry.path, limit);
}

}  // namespace pushgate
