#include "deployers/ssh/remote_release_folder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "core/util/shell_quote.hpp"
#include "deployers/ssh/release_archive.hpp"
#include "deployers/release_snapshot.hpp"

namespace pushgate::ssh {

namespace {

// Bytes of quoted paths per command: the whole command reaches the host as
// one argument of its shell, which Linux caps at 128 KiB.
constexpr std::size_t k_paths_per_command = 64 * 1024;

// The largest snapshot read back from a host (about 60 bytes a file).
constexpr std::size_t k_max_snapshot = 64u << 20;

// Removes the releases in $remove (ids, which hold no space), never the live
// one: each is first renamed to its partial name, so a removal cut off
// half-way never leaves a whole name on half a release. The end of scripts
// that run in DIR/releases.
constexpr const char* k_remove_end = R"(live=$(readlink -- ../current || true)
for old in $remove; do
  if [ "$live" = "releases/$old" ]; then echo "release $old is live: not removed" >&2; exit 3; fi
  if [ -d "$old" ]; then mv -T -- "$old" ".$old.partial"; fi
  rm -rf -- ".$old.partial" ".$old.commit" ".$old.stat"
done
)";

// Removes releases $2 (ids, space-separated) of DIR $1, with k_remove_end.
constexpr const char* k_remove_start = R"(set -e
cd -- "$1/releases"
remove=$2
)";

// Points DIR/current at release $id: a new link, then rename(2) over the old
// one (mv -T), so readers see the old or the new release, never none. The
// end of the scripts below, which run in DIR/releases.
constexpr const char* k_switch_end = R"(rm -f -- ../.current.tmp
ln -s -- "releases/$id" ../.current.tmp
mv -T -f -- ../.current.tmp ../current
)";

// Makes release $2 of DIR $1 live, with k_switch_end.
constexpr const char* k_switch_start = R"(set -e
cd -- "$1/releases"
id=$2
)";

// Makes release $2 in DIR $1. First removes what an interrupted deploy
// left: partial releases, commit files without their release, a stray
// temporary link. Then the partial folder is made empty ($3 empty), found
// made already ($3 "."), or copied from release $3 with hard links; paths
// $7... are deleted from it; the tar archive on stdin is extracted into it,
// creating every entry anew (--keep-old-files: an entry that exists is an
// error, so nothing is written through a link into release $3), with the
// host's umask and account, not the archive's; $4 is recorded as its
// .commit file; it gets its final name; when $5 is "live", k_switch_end
// makes it live; and k_remove_end removes the old releases in $6. A host
// without tar, or whose tar is not GNU tar, is told what to install. One remote
// command, as every command costs the host a start of the account's shell and
// its rc files.
constexpr const char* k_write_start = R"sh(set -e
command -v tar >/dev/null 2>&1 || { echo "there is no tar on this host (PATH=$PATH): install GNU tar (Debian, Ubuntu: apt-get install tar; Alpine: apk add tar; RHEL, Fedora: dnf install tar)" >&2; exit 127; }
mkdir -p -- "$1/releases"
cd -- "$1/releases"
id=$2 from=$3 record=$4 then=$5 remove=$6
shift 6
for f in .*.partial; do
  [ -e "$f" ] || [ -L "$f" ] || continue
  [ "$f" = ".$id.partial" ] && [ "$from" = . ] || rm -rf -- "$f"
done
rm -f -- .*.stat.check-*
for f in .*.commit .*.stat; do
  [ -e "$f" ] || continue
  old=${f#.}; old=${old%.commit}; old=${old%.stat}
  [ -d "$old" ] || rm -f -- "$f"
done
rm -f -- ../.current.tmp
partial=.$id.partial
case $from in
  '') mkdir -- "$partial" ;;
  .) ;;
  *) cp -al -- "$from" "$partial" ;;
esac
if [ $# -gt 0 ]; then (cd -- "$partial" && rm -rf -- "$@"); fi
tar -x -f - -C "$partial" --no-same-owner --no-same-permissions --touch --keep-old-files || {
  rc=$?
  case $(tar --version 2>&1 | head -n 1) in
    *'GNU tar'*) exit $rc ;;
    *) echo "the tar on this host is not GNU tar ($(command -v tar): $(tar --version 2>&1 | head -n 1)): install GNU tar (Debian, Ubuntu: apt-get install tar; Alpine: apk add tar)" >&2; exit 127 ;;
  esac
}
printf '%s' "$record" >".$id.commit"
mv -T -- "$partial" "$id"
if [ "$then" = live ]; then
)sh";

// A shell command that prints release RELEASE's snapshot (release_snapshot.hpp),
// sorted so that two of the same release compare equal byte for byte on the
// host. Run in DIR/releases.
std::string snapshot_command(std::string_view release) {
  return fmt::format("find {} -mindepth 1 -printf {} | LC_ALL=C sort -z", release, shell_quote(k_snapshot_find_format));
}

// `paths` in groups that each fit one command.
std::vector<std::vector<std::string>> in_batches(const std::vector<std::string>& paths) {
  std::vector<std::vector<std::string>> out;
  std::size_t bytes = k_paths_per_command;
  for (const auto& path : paths) {
    std::size_t quoted = shell_quote(path).size() + 1;
    if (bytes + quoted > k_paths_per_command) {
      out.emplace_back();
      bytes = 0;
    }
    out.back().push_back(path);
    bytes += quoted;
  }
  return out;
}

bool hex(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// What a command is called in messages: a script by its name ($0).
const std::string& command_name(const std::vector<std::string>& argv) {
  return argv.size() > 3 && argv[0] == "sh" && argv[1] == "-c" ? argv[3] : argv.front();
}

}  // namespace

RemoteReleaseFolder::RemoteReleaseFolder(Connection& connection, std::string root, std::chrono::milliseconds timeout)
    : m_connection(connection), m_root(std::move(root)), m_timeout(timeout) {}

std::string RemoteReleaseFolder::in_releases(const std::string& name) const { return m_root + "/releases/" + name; }

std::string RemoteReleaseFolder::release_path(const std::string& id) const { return in_releases(id); }

Expected<SftpClient*> RemoteReleaseFolder::sftp() { return m_connection.sftp(); }

Expected<bool> RemoteReleaseFolder::run(const std::vector<std::string>& argv, const std::string& cwd,
                                        CommandInput* input) {
  std::string output;
  LineSink collect = [&](std::string_view line) {
    if (output.size() < 2000) output += fmt::format("{}{}", output.empty() ? "" : "; ", line);
  };
  ProcessSpec spec{argv, {}, cwd, m_timeout};
  ProcessResult result = input ? m_connection.run(spec, collect, *input) : m_connection.run(spec, collect);
  if (result.ok()) return true;
  return Error{ErrorCode::io, fmt::format("{}: '{}' failed: {}{}{}", m_connection.host().label(), command_name(argv),
                                          result.describe(), output.empty() ? "" : ": ", output)};
}

Expected<ReleaseUpload> RemoteReleaseFolder::write_release(const std::string& id, const std::string& commit,
                                                           const ReleasePlan& plan, const std::optional<Release>& live,
                                                           Then then, const std::vector<std::string>& old_releases) {
  if (plan.reuses_live && !live)
    return Error{ErrorCode::internal, fmt::format("{}: a plan that reuses the live release, and none is live",
                                                  m_connection.host().label())};
  for (const auto& path : plan.removed)
    if (!safe_relative_path(path))
      return Error{ErrorCode::input, fmt::format("refusing to delete '{}' from a release: not a path inside it", path)};
  for (const auto& old : old_releases)
    if (!parse_release_name(old) || old == id)
      return Error{ErrorCode::usage, fmt::format("'{}' is not a release to remove", old)};
  std::string partial = in_releases("." + id + ".partial");
  // Removals beyond what one command holds are made first, on their own.
  auto batches = in_batches(plan.removed);
  bool made = batches.size() > 1;
  if (made) {
    if (auto copied = run({"cp", "-al", "--", release_path(live->id), partial}); !copied) return copied.error();
    for (std::size_t i = 0; i + 1 < batches.size(); ++i) {
      std::vector<std::string> argv{"rm", "-rf", "--"};
      argv.insert(argv.end(), batches[i].begin(), batches[i].end());
      if (auto removed = run(argv, partial); !removed) return removed.error();
    }
  }
  std::string from = made ? "." : plan.reuses_live ? live->id : "";
  // Going live at once, the snapshot drift checks compare with is taken here too.
  std::string script = std::string(k_write_start) + snapshot_command("\"$id\"") + " >\".$id.stat\"\n" + k_switch_end +
                       "fi\n" + k_remove_end;
  std::vector<std::string> argv{"sh", "-c", script, "pushgate-write", m_root, id, from,
                                fmt::format("{}\ntree {}\n", commit, plan.tree),
                                then == Then::go_live ? "live" : "stay",
                                fmt::format("{}", fmt::join(old_releases, " "))};
  if (!batches.empty()) argv.insert(argv.end(), batches.back().begin(), batches.back().end());
  if (auto written = run(argv, "", plan.archive->reader().get()); !written) return written.error();
  auto size = plan.archive->size();
  if (!size) return size.error();
  return ReleaseUpload{plan.reuses_live, size->files, plan.kept_files, plan.removed.size(), size->content,
                       size->archive};
}

Expected<bool> RemoteReleaseFolder::switch_to(const std::string& id) {
  return run({"sh", "-c", std::string(k_switch_start) + k_switch_end, "pushgate-switch", m_root, id});
}

Expected<bool> RemoteReleaseFolder::clear_live() {
  auto client = sftp();
  if (!client) return client.error();
  auto removed = (*client)->remove(m_root + "/current");
  if (!removed && removed.error().code != ErrorCode::input) return removed;
  return true;
}

Expected<bool> RemoteReleaseFolder::remove(const std::vector<std::string>& ids) {
  if (ids.empty()) return true;
  for (const auto& id : ids)
    if (!parse_release_name(id)) return Error{ErrorCode::usage, fmt::format("'{}' is not a release name", id)};
  return run({"sh", "-c", std::string(k_remove_start) + k_remove_end, "pushgate-remove", m_root,
              fmt::format("{}", fmt::join(ids, " "))});
}

Expected<Release> RemoteReleaseFolder::release(const std::string& id) {
  auto client = sftp();
  if (!client) return client.error();
  auto text = (*client)->read_file(in_releases("." + id + ".commit"), 256);
  std::string_view record = text ? std::string_view(*text) : std::string_view();
  std::string_view commit = record.substr(0, record.find('\n'));
  std::string_view tree = record.substr(std::min(record.size(), commit.size() + 1));
  tree = tree.starts_with("tree ") ? tree.substr(5, tree.find('\n') - 5) : std::string_view();
  return Release{id, hex(commit) ? std::string(commit) : parse_release_name(id)->commit,
                 hex(tree) ? std::string(tree) : ""};
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

Expected<std::vector<std::string>> RemoteReleaseFolder::release_ids() {
  auto client = sftp();
  if (!client) return client.error();
  auto names = (*client)->list(m_root + "/releases");
  if (!names) {
    if (names.error().code == ErrorCode::input) return std::vector<std::string>();
    return names.error();
  }
  std::vector<std::pair<ReleaseName, std::string>> found;
  for (const auto& name : *names)
    if (auto parsed = parse_release_name(name)) found.emplace_back(*parsed, name);
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (auto& [parsed, id] : found) out.push_back(std::move(id));
  return out;
}

Expected<std::vector<Release>> RemoteReleaseFolder::releases() {
  auto ids = release_ids();
  if (!ids) return ids.error();
  std::vector<Release> out;
  for (const auto& id : *ids) {
    auto r = release(id);
    if (!r) return r.error();
    out.push_back(*r);
  }
  return out;
}

std::vector<std::string> beyond_keep(const std::vector<std::string>& kept, std::size_t keep,
                                     const std::string& live) {
  std::vector<std::string> out;
  for (std::size_t i = keep > 0 ? keep - 1 : 0; i < kept.size(); ++i)
    if (kept[i] != live) out.push_back(kept[i]);
  return out;
}

std::string RemoteReleaseFolder::label() const { return m_connection.host().label(); }

Expected<bool> RemoteReleaseFolder::snapshot_to(const std::string& id, const std::string& sink,
                                                const std::string& file) {
  std::vector<std::string> argv{"sh", "-c", "cd -- \"$1\" && " + snapshot_command("\"$2\"") + " " + sink,
                                "pushgate-snapshot", m_root + "/releases", id};
  if (!file.empty()) argv.push_back(file);
  return run(argv);
}

Expected<bool> RemoteReleaseFolder::record_snapshot(const std::string& id) { return snapshot_to(id, ">\".$2.stat\""); }

Expected<Snapshot> RemoteReleaseFolder::snapshot(const std::string& id) {
  auto client = sftp();
  if (!client) return client.error();
  // A file, not the command's output: paths may hold newlines, and stderr shares the output.
  std::string file = in_releases(fmt::format(".{}.stat.check-{}", id, std::random_device{}()));
  auto found = snapshot_to(id, ">\"$3\"", file);
  auto text = found ? (*client)->read_file(file, k_max_snapshot) : Expected<std::string>(found.error());
  (*client)->remove(file);
  if (!text) return text.error();
  auto parsed = parse_snapshot(*text);
  if (!parsed) return Error{ErrorCode::io, fmt::format("{}: {}", label(), parsed.error().message)};
  return parsed;
}

Expected<std::optional<Snapshot>> RemoteReleaseFolder::recorded_snapshot(const std::string& id) {
  auto client = sftp();
  if (!client) return client.error();
  auto text = (*client)->read_file(in_releases("." + id + ".stat"), k_max_snapshot);
  if (!text) {
    if (text.error().code == ErrorCode::input) return std::optional<Snapshot>();
    return text.error();
  }
  auto parsed = parse_snapshot(*text);
  if (!parsed) return std::optional<Snapshot>();
  return std::optional<Snapshot>(std::move(*parsed));
}

bool RemoteReleaseFolder::intact(const std::string& id) {
  // Compared on the host: nothing but the verdict crosses the wire.
  return snapshot_to(id, "| cmp -s - \".$2.stat\"").has_value();
}

Expected<std::string> RemoteReleaseFolder::read_entry(const std::string& id, const std::string& path, bool symlink,
                                                      std::size_t max_size) {
  auto client = sftp();
  if (!client) return client.error();
  std::string remote = release_path(id) + "/" + path;
  return symlink ? (*client)->read_link(remote) : (*client)->read_file(remote, max_size);
}

}  // namespace pushgate::ssh
