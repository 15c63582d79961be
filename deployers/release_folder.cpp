#include "deployers/release_folder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <iterator>
#include <string_view>

#include "core/util/durable.hpp"

namespace pushgate {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_releases = "releases";
constexpr std::string_view k_current = "current";
constexpr std::string_view k_current_tmp = ".current.tmp";
constexpr std::string_view k_partial_suffix = ".partial";
constexpr std::string_view k_commit_suffix = ".commit";
constexpr std::string_view k_snapshot_suffix = ".stat";

Error fs_error(std::string_view what, const fs::path& path, const std::error_code& ec) {
  return {ErrorCode::io, fmt::format("cannot {} '{}': {}", what, path.string(), ec.message())};
}

bool all_of(std::string_view text, int (*is)(int)) {
  return std::all_of(text.begin(), text.end(), [is](char c) { return is(static_cast<unsigned char>(c)) != 0; });
}

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t begin = 0;;) {
    std::size_t end = text.find(separator, begin);
    parts.push_back(text.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) return parts;
    begin = end + 1;
  }
}

}  // namespace

std::optional<ReleaseName> parse_release_name(const std::string& id) {
  auto parts = split(id, '-');
  if (parts.size() < 3 || parts.size() > 5) return std::nullopt;
  std::string_view stamp = parts[0];
  if (stamp.size() != 16 || stamp[8] != 'T' || stamp[15] != 'Z' || !all_of(stamp.substr(0, 8), isdigit) ||
      !all_of(stamp.substr(9, 6), isdigit))
    return std::nullopt;
  if (parts[1].size() != 12 || !all_of(parts[1], isxdigit)) return std::nullopt;
  ReleaseName name{std::string(stamp), 0, 0, 0, std::string(parts[1])};
  std::size_t next = 2;
  // Takes the next part if it is `letter` and a number: j required, then r and a if there.
  auto take = [&](char letter, std::uint64_t& out) {
    if (next >= parts.size() || parts[next].empty() || parts[next][0] != letter) return false;
    auto n = number(parts[next].substr(1));
    if (!n) return false;
    out = *n;
    ++next;
    return true;
  };
  if (!take('j', name.job)) return std::nullopt;
  take('r', name.run);
  take('a', name.attempt);
  if (next != parts.size()) return std::nullopt;
  return name;
}

bool same_commit(const std::string& kept, const std::string& wanted) {
  constexpr std::size_t k_min_commit_prefix = 7;
  if (wanted.size() < k_min_commit_prefix) return false;
  return kept.starts_with(wanted) || wanted.starts_with(kept);
}

ReleaseFolder::ReleaseFolder(fs::path root) : m_root(std::move(root)) {}

fs::path ReleaseFolder::release_path(const std::string& id) const { return m_root / k_releases / id; }

fs::path ReleaseFolder::partial_path(const std::string& id) const {
  return m_root / k_releases / fmt::format(".{}{}", id, k_partial_suffix);
}

fs::path ReleaseFolder::commit_file(const std::string& id) const {
  return m_root / k_releases / fmt::format(".{}{}", id, k_commit_suffix);
}

fs::path ReleaseFolder::snapshot_file(const std::string& id) const {
  return m_root / k_releases / fmt::format(".{}{}", id, k_snapshot_suffix);
}

Expected<bool> ReleaseFolder::prepare() const {
  std::error_code ec;
  fs::path releases = m_root / k_releases;
  fs::create_directories(releases, ec);
  if (ec) return fs_error("create folder", releases, ec);
  // Only one deploy per environment runs at a time, so anything unfinished
  // here was left by one that was cut off.
  for (const auto& entry : fs::directory_iterator(releases, ec)) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with('.')) continue;
    bool partial = name.ends_with(k_partial_suffix);
    auto orphaned = [&](std::string_view suffix) {
      return name.ends_with(suffix) && !fs::exists(releases / name.substr(1, name.size() - 1 - suffix.size()));
    };
    bool orphan = orphaned(k_commit_suffix) || orphaned(k_snapshot_suffix);
    if (partial || orphan) fs::remove_all(entry.path(), ec);
    if (ec) return fs_error("remove", entry.path(), ec);
  }
  if (ec) return fs_error("read folder", releases, ec);
  fs::remove(m_root / k_current_tmp, ec);
  return true;
}

Expected<bool> ReleaseFolder::complete(const std::string& id, const std::string& commit) const {
  fs::path file = commit_file(id);
  {
    std::ofstream out(file, std::ios::trunc);
    out << commit << '\n';
    if (!out.flush()) return fs_error("write", file, std::make_error_code(std::errc::io_error));
  }
  // The files first, then the name that says they are complete.
  if (auto synced = sync_filesystem(partial_path(id)); !synced) return synced;
  std::error_code ec;
  fs::rename(partial_path(id), release_path(id), ec);
  if (ec) return fs_error("rename", partial_path(id), ec);
  return sync_dir(m_root / k_releases);
}

Expected<bool> ReleaseFolder::switch_to(const std::string& id) const {
  fs::path tmp = m_root / k_current_tmp;
  std::error_code ec;
  fs::remove(tmp, ec);
  fs::create_symlink(fs::path(k_releases) / id, tmp, ec);
  if (ec) return fs_error("create symlink", tmp, ec);
  // rename(2) replaces `current` in one step: readers see the old or the new.
  fs::rename(tmp, m_root / k_current, ec);
  if (ec) return fs_error("switch", m_root / k_current, ec);
  return sync_dir(m_root);
}

Expected<bool> ReleaseFolder::clear_live() const {
  fs::path current = m_root / k_current;
  std::error_code ec;
  if (!fs::is_symlink(current, ec)) return true;
  fs::remove(current, ec);
  if (ec) return fs_error("remove", current, ec);
  return true;
}

Expected<bool> ReleaseFolder::remove(const std::string& id) const {
  if (auto live_release = live(); live_release && live_release->id == id)
    return Error{ErrorCode::internal, fmt::format("release {} is live; it cannot be removed", id)};
  std::error_code ec;
  // Renamed to its partial name first: a removal cut off half-way must not
  // leave a release with a whole name and half its files (prepare() clears
  // partial ones).
  fs::rename(release_path(id), partial_path(id), ec);
  if (ec && ec != std::errc::no_such_file_or_directory) return fs_error("remove", release_path(id), ec);
  fs::remove_all(partial_path(id), ec);
  if (ec) return fs_error("remove", partial_path(id), ec);
  fs::remove(commit_file(id), ec);
  fs::remove(snapshot_file(id), ec);
  return true;
}

Expected<bool> ReleaseFolder::record_snapshot(const std::string& id) const {
  auto snapshot = snapshot_folder(release_path(id));
  if (!snapshot) return snapshot.error();
  fs::path file = snapshot_file(id);
  std::ofstream out(file, std::ios::trunc | std::ios::binary);
  out << serialize(*snapshot);
  if (!out.flush()) return fs_error("write", file, std::make_error_code(std::errc::io_error));
  return true;
}

std::optional<Snapshot> ReleaseFolder::recorded_snapshot(const std::string& id) const {
  std::ifstream in(snapshot_file(id), std::ios::binary);
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto snapshot = parse_snapshot(text);
  if (!snapshot) return std::nullopt;
  return std::move(*snapshot);
}

std::vector<std::string> ReleaseFolder::prune(std::size_t keep) const {
  std::vector<Release> kept = releases();
  auto live_release = live();
  std::string live_id = live_release ? live_release->id : "";
  std::string before_live;
  for (std::size_t i = 0; i + 1 < kept.size(); ++i)
    if (kept[i].id == live_id) before_live = kept[i + 1].id;
  std::vector<std::string> removed;
  for (std::size_t i = keep; i < kept.size(); ++i) {
    if (kept[i].id == live_id || kept[i].id == before_live) continue;
    if (remove(kept[i].id)) removed.push_back(kept[i].id);
  }
  return removed;
}

Release ReleaseFolder::release(const std::string& id) const {
  std::ifstream in(commit_file(id));
  std::string commit;
  if (!(in >> commit) || !all_of(commit, isxdigit)) commit = parse_release_name(id)->commit;
  return {id, commit, ""};
}

std::optional<Release> ReleaseFolder::live() const {
  std::error_code ec;
  fs::path target = fs::read_symlink(m_root / k_current, ec);
  if (ec || target.parent_path() != k_releases) return std::nullopt;
  std::string id = target.filename().string();
  if (!parse_release_name(id) || !fs::is_directory(release_path(id), ec)) return std::nullopt;
  return release(id);
}

std::vector<Release> ReleaseFolder::releases() const {
  std::vector<std::pair<ReleaseName, std::string>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(m_root / k_releases, ec)) {
    std::string id = entry.path().filename().string();
    auto name = parse_release_name(id);
    if (name && entry.is_directory(ec) && !entry.is_symlink(ec)) found.emplace_back(*name, id);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Release> out;
  for (const auto& [name, id] : found) out.push_back(release(id));
  return out;
}

}  // namespace pushgate
