#include "deployers/ssh/remote_release_folder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>

namespace pushgate::ssh {

namespace {

constexpr std::size_t k_max_manifest = 64u << 20;
// Bytes of paths per `rm` command, well under any ARG_MAX.
constexpr std::size_t k_rm_batch_bytes = 64 * 1024;

// Removes what an interrupted deploy left in DIR ($1): partial releases,
// commit and manifest files without their release, a stray temporary link.
// A fixed script; DIR reaches it as an argument, never as code.
constexpr const char* k_prepare_script = R"(set -e
mkdir -p -- "$1/releases"
cd -- "$1/releases"
for f in .*.partial; do
  if [ -e "$f" ] || [ -L "$f" ]; then rm -rf -- "$f"; fi
done
rm -f -- .*.stat.check-*
for f in .*.commit .*.manifest .*.stat; do
  [ -e "$f" ] || continue
  id=${f#.}; id=${id%.commit}; id=${id%.manifest}; id=${id%.stat}
  [ -d "$id" ] || rm -f -- "$f"
done
rm -f -- "$1/.current.tmp")";

// Removes release $2 of DIR $1: first renamed to its partial name, so a
// removal cut off half-way never leaves a whole name on half a release.
constexpr const char* k_remove_script = R"(set -e
cd -- "$1/releases"
if [ -d "$2" ]; then mv -T -- "$2" ".$2.partial"; fi
rm -rf -- ".$2.partial" ".$2.commit" ".$2.manifest" ".$2.stat")";

// Points DIR/current ($1) at release $2: a new link, then rename(2) over the
// old one (mv -T), so readers see the old or the new release, never none.
constexpr const char* k_switch_script = R"(set -e
cd -- "$1"
rm -f -- .current.tmp
ln -s -- "releases/$2" .current.tmp
mv -T -f -- .current.tmp current)";

Expected<std::string> read_local(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in.good() && !in.eof())
    return Error{ErrorCode::io, fmt::format("cannot read staged file '{}'", path.string())};
  return content;
}

}  // namespace

RemoteReleaseFolder::RemoteReleaseFolder(Connection& connection, std::string root, std::chrono::milliseconds timeout)
    : m_connection(connection), m_root(std::move(root)), m_timeout(timeout) {}

std::string RemoteReleaseFolder::in_releases(const std::string& name) const { return m_root + "/releases/" + name; }

std::string RemoteReleaseFolder::release_path(const std::string& id) const { return in_releases(id); }

Expected<SftpClient*> RemoteReleaseFolder::sftp() { return m_connection.sftp(); }

Expected<bool> RemoteReleaseFolder::run(const std::vector<std::string>& argv, const std::string& cwd) {
  std::string output;
  ProcessResult result = m_connection.run({argv, {}, cwd, m_timeout}, [&](std::string_view line) {
    if (output.size() < 2000) output += fmt::format("{}{}", output.empty() ? "" : "; ", line);
  });
  if (result.ok()) return true;
  return Error{ErrorCode::io, fmt::format("{}: '{}' failed: {}{}{}", m_connection.host().label(), argv.front(),
                                          result.describe(), output.empty() ? "" : ": ", output)};
}

Expected<bool> RemoteReleaseFolder::prepare() {
  return run({"sh", "-c", k_prepare_script, "pushgate-prepare", m_root});
}

Expected<bool> RemoteReleaseFolder::send(const ManifestEntry& entry, const std::string& partial,
                                         const std::filesystem::path& staged, ReleaseUpload& upload) {
  auto client = sftp();
  if (!client) return client.error();
  std::string remote = partial + "/" + entry.path;
  std::filesystem::path local = staged / entry.path;
  switch (entry.mode) {
    case 040000: return (*client)->mkdir(remote, 0777);
    case 0120000: {
      std::error_code ec;
      auto target = std::filesystem::read_symlink(local, ec);
      if (ec) return Error{ErrorCode::io, fmt::format("cannot read staged symlink '{}'", local.string())};
      ++upload.files_sent;
      return (*client)->symlink(target.string(), remote);
    }
    default: {
      auto content = read_local(local);
      if (!content) return content.error();
      auto written = (*client)->write_file(remote, *content, entry.mode == 0100755 ? 0777 : 0666);
      if (!written) return written;
      ++upload.files_sent;
      upload.bytes_sent += content->size();
      return true;
    }
  }
}

Expected<ReleaseUpload> RemoteReleaseFolder::write_release(const std::string& id, const std::string& commit,
                                                           const Manifest& manifest,
                                                           const std::filesystem::path& staged,
                                                           const std::optional<Release>& live) {
  auto client = sftp();
  if (!client) return client.error();
  std::string partial = in_releases("." + id + ".partial");
  ReleaseUpload upload;
  ManifestDiff plan{{}, manifest, 0};
  if (live) {
    // A live release without a readable manifest is not reused: the release is sent whole.
    auto text = (*client)->read_file(in_releases("." + live->id + ".manifest"), k_max_manifest);
    auto previous = text ? parse_manifest(*text) : Expected<Manifest>(text.error());
    if (previous && intact(live->id)) {
      if (auto copied = run({"cp", "-al", "--", release_path(live->id), partial}); !copied) return copied.error();
      plan = diff(*previous, manifest);
      upload.reused_live = true;
    }
  }
  if (!upload.reused_live)
    if (auto made = (*client)->mkdir(partial, 0777); !made) return made.error();
  for (std::size_t i = 0; i < plan.removed.size();) {
    std::vector<std::string> argv{"rm", "-rf", "--"};
    for (std::size_t bytes = 0; i < plan.removed.size() && bytes < k_rm_batch_bytes; ++i) {
      bytes += plan.removed[i].size() + 3;
      argv.push_back(plan.removed[i]);
    }
    if (auto removed = run(argv, partial); !removed) return removed.error();
  }
  upload.removed = plan.removed.size();
  upload.files_kept = plan.kept_files;
  for (const auto& entry : plan.added)
    if (auto sent = send(entry, partial, staged, upload); !sent) return sent.error();
  for (const auto& [suffix, content] : {std::pair<std::string, std::string>{".manifest", serialize(manifest)},
                                        std::pair<std::string, std::string>{".commit", commit + "\n"}}) {
    std::string file = in_releases("." + id + suffix);
    (*client)->remove(file);  // a leftover of an attempt cut off; usually absent
    if (auto written = (*client)->write_file(file, content, 0644); !written) return written.error();
  }
  if (auto renamed = (*client)->rename(partial, release_path(id)); !renamed) return renamed.error();
  return upload;
}

Expected<bool> RemoteReleaseFolder::switch_to(const std::string& id) {
  return run({"sh", "-c", k_switch_script, "pushgate-switch", m_root, id});
}

Expected<bool> RemoteReleaseFolder::clear_live() {
  auto client = sftp();
  if (!client) return client.error();
  auto removed = (*client)->remove(m_root + "/current");
  if (!removed && removed.error().code != ErrorCode::input) return removed;
  return true;
}

Expected<bool> RemoteReleaseFolder::remove(const std::string& id) {
  if (!parse_release_name(id))
    return Error{ErrorCode::usage, fmt::format("'{}' is not a release name", id)};
  auto current = live();
  if (!current) return current.error();
  if (*current && (*current)->id == id)
    return Error{ErrorCode::internal,
                 fmt::format("{}: release {} is live; it cannot be removed", m_connection.host().label(), id)};
  return run({"sh", "-c", k_remove_script, "pushgate-remove", m_root, id});
}

Expected<std::vector<std::string>> RemoteReleaseFolder::prune(std::size_t keep) {
  auto kept = releases();
  if (!kept) return kept.error();
  auto current = live();
  if (!current) return current.error();
  std::string live_id = *current ? (*current)->id : "";
  std::string before_live;
  for (std::size_t i = 0; i + 1 < kept->size(); ++i)
    if ((*kept)[i].id == live_id) before_live = (*kept)[i + 1].id;
  std::vector<std::string> removed;
  for (std::size_t i = keep; i < kept->size(); ++i) {
    const std::string& id = (*kept)[i].id;
    if (id == live_id || id == before_live) continue;
    if (auto gone = remove(id); !gone) return gone.error();
    removed.push_back(id);
  }
  return removed;
}

Expected<Release> RemoteReleaseFolder::release(const std::string& id) {
  auto client = sftp();
  if (!client) return client.error();
  auto text = (*client)->read_file(in_releases("." + id + ".commit"), 256);
  std::string commit = text ? text->substr(0, text->find('\n')) : "";
  bool hex = !commit.empty() && std::all_of(commit.begin(), commit.end(),
                                            [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  return Release{id, hex ? commit : parse_release_name(id)->commit};
}

Expected<std::optional<Release>> RemoteReleaseFolder::live() {
  auto client = sftp();
  if (!client) return client.error();
  auto target = (*client)->read_link(m_root + "/current");
  if (!target) {
    if (target.error().code == ErrorCode::input) return std::optional<Release>();
    return target.error();
  }
  if (!target->starts_with("releases/")) return std::optional<Release>();
  std::string id = target->substr(std::string_view("releases/").size());
  if (!parse_release_name(id)) return std::optional<Release>();
  auto names = (*client)->list(m_root + "/releases");
  if (!names) return names.error();
  if (std::find(names->begin(), names->end(), id) == names->end()) return std::optional<Release>();
  auto found = release(id);
  if (!found) return found.error();
  return std::optional<Release>(*found);
}

Expected<std::vector<Release>> RemoteReleaseFolder::releases() {
  auto client = sftp();
  if (!client) return client.error();
  auto names = (*client)->list(m_root + "/releases");
  if (!names) {
    if (names.error().code == ErrorCode::input) return std::vector<Release>();
    return names.error();
  }
  std::vector<std::pair<ReleaseName, std::string>> found;
  for (const auto& name : *names)
    if (auto parsed = parse_release_name(name)) found.emplace_back(*parsed, name);
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Release> out;
  for (const auto& [parsed, id] : found) {
    auto r = release(id);
    if (!r) return r.error();
    out.push_back(*r);
  }
  return out;
}

std::string RemoteReleaseFolder::label() const { return m_connection.host().label(); }

Expected<bool> RemoteReleaseFolder::find_into(const std::string& id, const std::string& file) {
  return run({"find", release_path(id), "-mindepth", "1", "-fprintf", file, std::string(k_snapshot_find_format)});
}

Expected<bool> RemoteReleaseFolder::record_snapshot(const std::string& id) {
  return find_into(id, in_releases("." + id + ".stat"));
}

Expected<Snapshot> RemoteReleaseFolder::snapshot(const std::string& id) {
  auto client = sftp();
  if (!client) return client.error();
  // A file, not the command's output: paths may hold newlines, and stderr shares the output.
  std::string file = in_releases(fmt::format(".{}.stat.check-{}", id, std::random_device{}()));
  auto found = find_into(id, file);
  auto text = found ? (*client)->read_file(file, k_max_manifest) : Expected<std::string>(found.error());
  (*client)->remove(file);
  if (!text) return text.error();
  auto parsed = parse_snapshot(*text);
  if (!parsed) return Error{ErrorCode::io, fmt::format("{}: {}", label(), parsed.error().message)};
  return parsed;
}

Expected<std::optional<Snapshot>> RemoteReleaseFolder::recorded_snapshot(const std::string& id) {
  auto client = sftp();
  if (!client) return client.error();
  auto text = (*client)->read_file(in_releases("." + id + ".stat"), k_max_manifest);
  if (!text) {
    if (text.error().code == ErrorCode::input) return std::optional<Snapshot>();
    return text.error();
  }
  auto parsed = parse_snapshot(*text);
  if (!parsed) return std::optional<Snapshot>();
  return std::optional<Snapshot>(std::move(*parsed));
}

bool RemoteReleaseFolder::intact(const std::string& id) {
  auto recorded = recorded_snapshot(id);
  if (!recorded || !*recorded) return false;
  auto now = snapshot(id);
  return now && *now == **recorded;
}

Expected<std::string> RemoteReleaseFolder::read_entry(const std::string& id, const std::string& path, bool symlink,
                                                      std::size_t max_size) {
  auto client = sftp();
  if (!client) return client.error();
  std::string remote = release_path(id) + "/" + path;
  return symlink ? (*client)->read_link(remote) : (*client)->read_file(remote, max_size);
}

}  // namespace pushgate::ssh
