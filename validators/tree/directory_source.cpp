#include "validators/tree/directory_source.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "core/config/config_reader.hpp"

namespace fs = std::filesystem;

namespace pushgate {

namespace {

std::string display(const fs::path& p) {
  std::string s = p.generic_string();
  while (s.starts_with("./")) s.erase(0, 2);
  return s;
}

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

// `path`, found by walking the folder `root`, relative to it. The walk's
// paths start with `root` as given, so cutting it off is enough (and cheaper
// than lexically_relative, per file of a large tree).
std::string relative_to(const fs::path& path, const std::string& root) {
  const std::string& text = path.native();
  if (!text.starts_with(root)) return path.lexically_relative(root).generic_string();
  std::size_t at = root.size();
  while (at < text.size() && text[at] == '/') ++at;
  return text.substr(at);
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
    auto options = fs::directory_options::skip_permission_denied;
    for (auto it = fs::recursive_directory_iterator(arg, options, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) throw Failure(ErrorCode::io, fmt::format("cannot walk '{}': {}", arg, ec.message()));
      // Globs apply to the path below the folder named, so `validate deploy`
      // and `validate .` select the same files.
      std::string relative = relative_to(it->path(), arg);
      // Before anything that follows the link (a loop would throw).
      if (it->is_symlink()) {
        if (filter.selects(relative)) m_entries.push_back(link_entry(it->path(), arg));
        continue;
      }
      if (it->is_directory() && it->path().filename() == ".git") {
        it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      // Sizes are asked later, on the engine's threads (size()): a stat per
      // file here would hold every worker back until the walk ends.
      if (filter.selects(relative)) m_entries.push_back({display(it->path())});
      else if (unselected == Unselected::keep) m_unselected.push_back({display(it->path())});
    }
  }
  auto by_path = [](const auto& a, const auto& b) { return a.path < b.path; };
  auto same_path = [](const auto& a, const auto& b) { return a.path == b.path; };
  std::sort(m_entries.begin(), m_entries.end(), by_path);
  m_entries.erase(std::unique(m_entries.begin(), m_entries.end(), same_path), m_entries.end());
  // A file named as an argument is an entry, though a folder walked holds it too.
  std::sort(m_unselected.begin(), m_unselected.end(), by_path);
  std::erase_if(m_unselected, [&](const ManifestEntry& e) {
    return std::binary_search(m_entries.begin(), m_entries.end(), e, by_path);
  });
  m_unselected.erase(std::unique(m_unselected.begin(), m_unselected.end(), same_path), m_unselected.end());
}

std::uint64_t DirectorySource::size(const ManifestEntry& entry) const {
  // Through a link to its target; 0 for a file that cannot be stat'ed,
  // which read() then reports.
  struct stat st {};
  return ::stat(entry.path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

Expected<std::string> DirectorySource::read(const ManifestEntry& entry) const {
  return read_file(entry.path);
}

}  // namespace pushgate
