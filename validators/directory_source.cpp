#include "validators/directory_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/config_reader.hpp"

namespace fs = std::filesystem;

namespace pushgate {

namespace {

std::string display(const fs::path& p) {
  std::string s = p.generic_string();
  while (s.starts_with("./")) s.erase(0, 2);
  return s;
}

}  // namespace

DirectorySource::DirectorySource(const std::vector<std::string>& arguments, const PathFilter& filter) {
  for (const auto& arg : arguments) {
    std::error_code ec;
    auto status = fs::status(arg, ec);
    if (ec || !fs::exists(status))
      throw Failure(ErrorCode::usage, fmt::format("'{}' does not exist", arg));
    if (!fs::is_directory(status)) {
      m_entries.push_back({display(arg), fs::file_size(arg, ec), ""});
      continue;
    }
    auto options = fs::directory_options::skip_permission_denied;
    for (auto it = fs::recursive_directory_iterator(arg, options, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) throw Failure(ErrorCode::io, fmt::format("cannot walk '{}': {}", arg, ec.message()));
      if (it->is_directory() && it->path().filename() == ".git") {
        it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file() || it->is_symlink()) continue;
      // Globs apply to the path below the folder named, so `validate deploy`
      // and `validate .` select the same files.
      std::string relative = it->path().lexically_relative(arg).generic_string();
      if (!filter.selects(relative)) continue;
      m_entries.push_back({display(it->path()), it->file_size(), ""});
    }
  }
  std::sort(m_entries.begin(), m_entries.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
  m_entries.erase(std::unique(m_entries.begin(), m_entries.end(),
                              [](const auto& a, const auto& b) { return a.path == b.path; }),
                  m_entries.end());
}

Expected<std::string> DirectorySource::read(const ManifestEntry& entry) const {
  return read_file(entry.path);
}

}  // namespace pushgate
