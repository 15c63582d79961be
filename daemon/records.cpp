#include "daemon/records.hpp"

#include <fmt/format.h>

#include "core/git/git.hpp"
#include "core/records/notes.hpp"

namespace pushgate::daemon {

namespace {

Expected<std::string> note_on(git_repository* repo, const std::string& ref, const std::string& commit) {
  auto oid = git::parse_oid(commit);
  if (!oid) return oid.error();
  return read_note(repo, ref, *oid);
}

bool is_job(const DeployRecord& record, const Job& job) {
  return record.field("job") == std::to_string(job.id);
}

}  // namespace

std::string short_commit(std::string_view commit) { return std::string(commit.substr(0, 12)); }

DeployRecord make_record(const Job& job, DeployStatus status, const RecordFields& fields) {
  DeployRecord record;
  record.timestamp = utc_now();
  record.env = job.env;
  record.status = status;
  // A drift check is the daemon's own, not a spool job users could look up.
  if (job.kind != JobKind::drift) record.fields.emplace_back("job", std::to_string(job.id));
  if (job.kind != JobKind::push) record.fields.emplace_back("kind", to_string(job.kind));
  if (!job.pusher.empty()) record.fields.emplace_back("pusher", job.pusher);
  for (const auto& [key, value] : fields)
    if (!value.empty()) record.fields.emplace_back(key, value);
  return record;
}

Expected<bool> append_record(git_repository* repo, const std::string& commit, const DeployRecord& record) {
  auto oid = git::parse_oid(commit);
  if (!oid) return oid.error();
  return append_note(repo, deploy_notes_ref(record.env), *oid, format_record(record) + "\n");
}

Expected<bool> append_log(git_repository* repo, const std::string& commit, const DeployRecord& record,
                          std::string_view log) {
  auto oid = git::parse_oid(commit);
  if (!oid) return oid.error();
  std::string text = fmt::format("=== {} job {}: {} ===\n", record.timestamp, record.field("job"),
                                 to_string(record.status));
  text += log;
  if (!text.ends_with('\n')) text += '\n';
  return append_note(repo, deploy_log_notes_ref(record.env), *oid, text);
}

Expected<std::optional<CommitRecord>> find_final_record(git_repository* repo, const Job& job) {
  if (job.kind == JobKind::rollback) {
    auto history = read_deploy_history(repo, job.env);
    if (!history) return history.error();
    for (auto& h : *history)
      if (is_final(h.record.status) && is_job(h.record, job)) return std::optional<CommitRecord>(h);
    return std::optional<CommitRecord>();
  }
  auto note = note_on(repo, deploy_notes_ref(job.env), job.commit);
  if (!note) return note.error();
  for (auto& record : parse_records(*note))
    if (is_final(record.status) && is_job(record, job))
      return std::optional<CommitRecord>(CommitRecord{job.commit, std::move(record)});
  return std::optional<CommitRecord>();
}

std::size_t count_records(git_repository* repo, const Job& job, DeployStatus status) {
  auto note = note_on(repo, deploy_notes_ref(job.env), job.commit);
  if (!note) return 0;
  std::size_t n = 0;
  for (const auto& record : parse_records(*note))
    if (record.status == status && is_job(record, job)) ++n;
  return n;
}

}  // namespace pushgate::daemon
