#include "core/jobs/spool.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/util/durable.hpp"
#include "core/jobs/spool_entry.hpp"
#include "core/jobs/spool_id.hpp"
#include "core/util/unique_fd.hpp"
#include "core/util/write_all.hpp"

namespace pushgate {

namespace fs = std::filesystem;

namespace {

using Json = nlohmann::json;

constexpr mode_t k_dir_mode = 0770;
constexpr mode_t k_file_mode = 0660;
// Job files are readable by the spool's group (the daemon) but writable by
// their writer only: the daemon believes some of what a file says because of
// who owns it, so no other member of the group may change it.
constexpr mode_t k_job_file_mode = 0640;
constexpr const char* k_folders[] = {"tmp", "new", "active", "done", "logs", "bad"};

Error io_error(std::string_view what, const fs::path& path) {
  return {ErrorCode::io, fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(errno))};
}

Expected<bool> write_durably(const fs::path& path, std::string_view text) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, k_job_file_mode));
  if (!fd) return io_error("create", path);
  if (::fchmod(fd.get(), k_job_file_mode) < 0) return io_error("set the mode of", path);
  if (!write_all(fd.get(), text)) return io_error("write", path);
  if (::fsync(fd.get()) < 0) return io_error("sync", path);
  return true;
}

// Writes `text` to `tmp` (which must not exist), makes it durable, then
// renames it to `target`: a crash leaves the old state or the whole new file.
Expected<bool> publish(const fs::path& tmp, const fs::path& target, std::string_view text) {
  auto written = write_durably(tmp, text);
  if (written && ::rename(tmp.c_str(), target.c_str()) == 0) return sync_dir(target.parent_path());
  Error error = written ? io_error("rename into place", target) : written.error();
  ::unlink(tmp.c_str());
  return error;
}

std::string file_name(std::uint64_t id) { return fmt::format("{}.json", id); }

// The id in a spool file name "<id>.json"; nullopt for any other name.
std::optional<std::uint64_t> id_of(const fs::path& path) {
  std::string name = path.filename().string();
  std::uint64_t id = 0;
  std::from_chars(name.data(), name.data() + name.size(), id);
  if (id == 0 || name != file_name(id)) return std::nullopt;
  return id;
}

bool is_present(const fs::path& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Json outcome_to_json(const JobOutcome& o) {
  return {{"status", o.status},
          {"release", o.release},
          {"message", o.message},
          {"finished_at", o.finished_at}};
}

struct DoneRecord {
  Job job;
  JobOutcome outcome;
};

Expected<DoneRecord> done_from_json(std::string_view text, const std::string& origin) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("job") || !j["job"].is_object() ||
      !j.contains("outcome") || !j["outcome"].is_object())
    return Error{ErrorCode::input,
                 fmt::format("{}: not a finished job: expected {{\"job\": ..., \"outcome\": ...}}", origin)};
  auto job = job_from_json(j["job"].dump(), origin);
  if (!job) return job.error();
  DoneRecord record{std::move(*job), {}};
  const Json& o = j["outcome"];
  struct Member {
    const char* key;
    std::string JobOutcome::*field;
  };
  static constexpr Member members[] = {{"status", &JobOutcome::status},
                                       {"release", &JobOutcome::release},
                                       {"message", &JobOutcome::message},
                                       {"finished_at", &JobOutcome::finished_at}};
  for (const auto& m : members) {
    auto it = o.find(m.key);
    if (it == o.end()) continue;
    if (!it->is_string())
      return Error{ErrorCode::input, fmt::format("{}: outcome '{}' must be a string", origin, m.key)};
    record.outcome.*m.field = it->get<std::string>();
  }
  return record;
}


// The highest id in any folder, for a seq file that is new, unreadable or
// behind (restored from a backup, say).
std::uint64_t highest_stored_id(const fs::path& spool) {
  std::uint64_t highest = 0;
  for (const char* folder : k_folders) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(spool / folder, ec))
      if (auto id = id_of(entry.path())) highest = std::max(highest, *id);
  }
  return highest;
}

// Moves a spool entry that is not a job out of the way, so it neither stops
// the daemon nor is met again, and says where it went.
void quarantine(const fs::path& spool, const fs::path& path, const std::string& why) {
  fs::path target = move_aside(path, spool / "bad");
  if (!target.empty()) {
    std::fprintf(stderr, "pushgate: warning: skipping corrupt spool file %s (%s); moved it to %s\n", path.c_str(),
                 why.c_str(), target.c_str());
  } else if (errno != ENOENT) {
    std::fprintf(stderr, "pushgate: warning: skipping corrupt spool file %s (%s); cannot move it to %s: %s\n",
                 path.c_str(), why.c_str(), (spool / "bad").c_str(), std::strerror(errno));
  }
}

// Takes the next job id from SPOOL/seq under an exclusive flock, which
// serialises hooks, CLI and daemon across processes. The new value is on disk
// before the lock is released, so no id is handed out twice, even after a
// crash; an id lost to a crash right after is merely skipped.
Expected<std::uint64_t> next_id(const fs::path& spool) {
  fs::path seq = spool / "seq";
  // Anyone in the spool's group can put a FIFO or a link there: such a seq is
  // moved aside once, and the next id is found from the folders.
  constexpr int k_flags = O_RDWR | O_CREAT | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC;
  UniqueFd fd(::open(seq.c_str(), k_flags, k_file_mode));
  struct stat st;
  if ((!fd && errno == ELOOP) || (fd && ::fstat(fd.get(), &st) == 0 && !S_ISREG(st.st_mode))) {
    fd.reset();
    quarantine(spool, seq, "not a regular file");
    fd = UniqueFd(::open(seq.c_str(), k_flags, k_file_mode));
  }
  if (!fd) return io_error("open", seq);
  // open() applies the umask: a seq left 0640 would stop every other user of
  // the group from queueing. Only its owner can fix the mode, so one owned by
  // another user is left as it is.
  if (::fstat(fd.get(), &st) < 0) return io_error("read the mode of", seq);
  if (!S_ISREG(st.st_mode)) return Error{ErrorCode::io, fmt::format("'{}' is not a regular file", seq.string())};
  if (st.st_uid == ::geteuid() && (st.st_mode & 07777) != k_file_mode &&
      ::fchmod(fd.get(), k_file_mode) < 0)
    return io_error("set the mode of", seq);
  while (::flock(fd.get(), LOCK_EX) < 0) {
    if (errno != EINTR) return io_error("lock", seq);
  }
  char buf[32] = {};
  ssize_t n = ::pread(fd.get(), buf, sizeof buf - 1, 0);
  if (n < 0) return io_error("read", seq);
  std::uint64_t last = 0;
  auto [end, ec] = std::from_chars(buf, buf + n, last);
  bool readable = n > 0 && ec == std::errc() && (end == buf + n || *end == '\n');
  auto taken = [&](std::uint64_t id) {
    for (const char* folder : {"new", "active", "done"})
      if (is_present(spool / folder / file_name(id))) return true;
    return false;
  };
  // A reused id would overwrite a waiting job, or hide behind a finished one.
  if (!readable || taken(last + 1)) last = highest_stored_id(spool);
  std::uint64_t id = last + 1;
  std::string text = fmt::format("{}\n", id);
  if (::pwrite(fd.get(), text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()) ||
      ::ftruncate(fd.get(), static_cast<off_t>(text.size())) < 0 || ::fdatasync(fd.get()) < 0)
    return io_error("update", seq);
  return id;
}

// The text of a spool file and its owner. A file that is gone was claimed
// or finished since it was listed; one that is there but unreadable (wrong
// owner, say) would otherwise be skipped without a word.
std::optional<SpoolEntry> read_spool_file(const fs::path& spool, const fs::path& path) {
  SpoolEntry entry = read_spool_entry(path, k_max_job_file);
  switch (entry.state) {
    case SpoolEntry::State::read: return entry;
    case SpoolEntry::State::gone: break;
    case SpoolEntry::State::not_a_job: quarantine(spool, path, entry.why); break;
    case SpoolEntry::State::unreadable: std::fprintf(stderr, "pushgate: warning: %s\n", entry.why.c_str()); break;
  }
  return std::nullopt;
}

// Reads a waiting or active job; a corrupt file is quarantined.
std::optional<Job> load_job(const fs::path& spool, const fs::path& path) {
  auto file = read_spool_file(spool, path);
  if (!file) return std::nullopt;
  auto job = job_from_json(file->text, path.string());
  if (job && job->id != id_of(path)) job = Error{ErrorCode::input, "its id does not match its name"};
  if (!job) {
    quarantine(spool, path, job.error().message);
    return std::nullopt;
  }
  job->owner = file->owner;
  return std::move(*job);
}

std::optional<DoneRecord> load_done(const fs::path& spool, const fs::path& path) {
  auto file = read_spool_file(spool, path);
  if (!file) return std::nullopt;
  auto record = done_from_json(file->text, path.string());
  if (!record) {
    quarantine(spool, path, record.error().message);
    return std::nullopt;
  }
  record->job.owner = file->owner;
  return std::move(*record);
}

// The jobs in `folder`, lowest id first. A job that also has a done/ file
// was finished by a process that died before removing its old copy.
std::vector<Job> list_jobs(const fs::path& spool, const char* folder) {
  std::vector<Job> jobs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(spool / folder, ec)) {
    auto id = id_of(entry.path());
    if (!id || is_present(spool / "done" / file_name(*id))) continue;
    if (auto job = load_job(spool, entry.path())) jobs.push_back(std::move(*job));
  }
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.id < b.id; });
  return jobs;
}

Error corrupt_job(const fs::path& spool, std::uint64_t id) {
  return {ErrorCode::input, fmt::format("job {} is corrupt; moved it to {}", id, (spool / "bad").string())};
}

fs::path pending_path(const fs::path& spool, std::uint64_t id) {
  return spool / "active" / fmt::format("{}.pending", id);
}

}  // namespace

Spool::Spool(fs::path dir) : m_dir(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(m_dir.parent_path(), ec);
  // The hooks run as the repository's user and the daemon as its own; they
  // share the spool through its group, whatever the creator's umask. The
  // setgid bit a folder inherits from a setgid spool stays, so every file
  // keeps the spool's group and the daemon can read jobs of other users.
  auto make = [](const fs::path& folder) {
    if (::mkdir(folder.c_str(), k_dir_mode) == 0) {
      struct stat st;
      mode_t inherited = ::stat(folder.c_str(), &st) == 0 ? (st.st_mode & S_ISGID) : 0;
      ::chmod(folder.c_str(), k_dir_mode | inherited);
    } else if (errno != EEXIST) {
      throw Failure(io_error("create the spool folder", folder));
    }
  };
  make(m_dir);
  for (const char* folder : k_folders) make(m_dir / folder);
  m_id = load_or_make_spool_id(m_dir);
}

Expected<bool> Spool::set_pending_record(std::uint64_t id, std::string_view text) {
  fs::path tmp = m_dir / "tmp" / fmt::format("{}.pending", id);
  ::unlink(tmp.c_str());
  return publish(tmp, pending_path(m_dir, id), text);
}

std::optional<std::string> Spool::pending_record(std::uint64_t id) const {
  SpoolEntry file = read_spool_entry(pending_path(m_dir, id), k_max_job_file);
  if (file.state != SpoolEntry::State::read) return std::nullopt;
  return std::move(file.text);
}

fs::path Spool::log_path(std::uint64_t id) const { return m_dir / "logs" / fmt::format("{}.log", id); }

Expected<Job> Spool::enqueue(Job job) {
  auto id = next_id(m_dir);
  if (!id) return id.error();
  job.id = *id;
  if (job.enqueued_at.empty()) job.enqueued_at = utc_now();
  auto written = publish(m_dir / "tmp" / file_name(job.id), m_dir / "new" / file_name(job.id),
                         job_to_json(job));
  if (!written) return written.error();
  return job;
}

std::vector<Job> Spool::waiting() const { return list_jobs(m_dir, "new"); }

std::vector<Job> Spool::active() const { return list_jobs(m_dir, "active"); }

Expected<Job> Spool::claim(std::uint64_t id) {
  fs::path from = m_dir / "new" / file_name(id);
  fs::path to = m_dir / "active" / file_name(id);
  if (::rename(from.c_str(), to.c_str()) < 0) {
    if (errno == ENOENT) return Error{ErrorCode::usage, fmt::format("job {} is not waiting", id)};
    return io_error("claim", from);
  }
  if (auto synced = sync_dir(to.parent_path()); !synced) return synced.error();
  auto job = load_job(m_dir, to);
  if (!job) return corrupt_job(m_dir, id);
  return std::move(*job);
}

Expected<bool> Spool::finish(std::uint64_t id, const JobOutcome& outcome) {
  fs::path from = m_dir / "active" / file_name(id);
  if (!is_present(from)) from = m_dir / "new" / file_name(id);
  fs::path done = m_dir / "done" / file_name(id);
  if (!is_present(from)) {
    if (is_present(done)) return Error{ErrorCode::usage, fmt::format("job {} is already finished", id)};
    return Error{ErrorCode::usage, fmt::format("there is no job {} in {}", id, m_dir.string())};
  }
  auto job = load_job(m_dir, from);
  if (!job) return corrupt_job(m_dir, id);
  JobOutcome o = outcome;
  if (o.finished_at.empty()) o.finished_at = utc_now();
  Json record = {{"job", Json::parse(job_to_json(*job))}, {"outcome", outcome_to_json(o)}};

  // A tmp file left by a finish that crashed is stale: this one replaces it.
  fs::path tmp = m_dir / "tmp" / fmt::format("{}.done.json", id);
  ::unlink(tmp.c_str());
  auto written = publish(tmp, done, record.dump(-1, ' ', false, Json::error_handler_t::replace));
  if (!written) return written;
  // Until this unlink is done the job is in two folders; listings skip it
  // because done/ wins.
  if (::unlink(from.c_str()) < 0 && errno != ENOENT) return io_error("remove", from);
  ::unlink(pending_path(m_dir, id).c_str());
  return sync_dir(from.parent_path());
}

JobPhase Spool::phase(std::uint64_t id) const {
  if (is_present(m_dir / "done" / file_name(id))) return JobPhase::done;
  if (is_present(m_dir / "active" / file_name(id))) return JobPhase::active;
  if (is_present(m_dir / "new" / file_name(id))) return JobPhase::waiting;
  return JobPhase::unknown;
}

std::optional<Job> Spool::find(std::uint64_t id) const {
  switch (phase(id)) {
    case JobPhase::done:
      if (auto record = load_done(m_dir, m_dir / "done" / file_name(id))) return record->job;
      return std::nullopt;
    case JobPhase::active: return load_job(m_dir, m_dir / "active" / file_name(id));
    case JobPhase::waiting: return load_job(m_dir, m_dir / "new" / file_name(id));
    case JobPhase::unknown: return std::nullopt;
  }
  return std::nullopt;
}

std::optional<JobOutcome> Spool::outcome(std::uint64_t id) const {
  fs::path done = m_dir / "done" / file_name(id);
  if (!is_present(done)) return std::nullopt;
  if (auto record = load_done(m_dir, done)) return record->outcome;
  return std::nullopt;
}

}  // namespace pushgate
