#pragma once
// The notes of deploys that could not be written (a full disk, a notes ref
// the daemon cannot lock): kept beside the job in the spool and retried with
// backoff on a thread of their own, for as long as pushgated runs, so the
// environment goes on with its next job and no deploy goes unrecorded. A
// restart picks them up from the spool again.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/records/deploy_record.hpp"
#include "core/jobs/job.hpp"

namespace pushgate::daemon {

struct PendingRecord {
  Job job;
  std::string commit;    // full hex id the notes go on
  DeployRecord record;   // written as it is: its timestamp says when the deploy ended
  std::string log;       // the deploy-log note still to write; "" once written
  std::string release;   // for the job's outcome in the spool
  std::string message;
};

// As Spool::set_pending_record stores it, and back (nullopt for text that is
// not one; `job` is the active job it belongs to).
std::string pending_to_json(const PendingRecord& pending);
std::optional<PendingRecord> pending_from_json(const std::string& text, const Job& job);

class RecordRetrier {
 public:
  // Writes the notes of `pending` (clearing `log` once that is written);
  // true when everything is recorded.
  using Attempt = std::function<bool(PendingRecord& pending)>;

  explicit RecordRetrier(Attempt attempt);
  // Stops retrying; what is left stays pending in the spool for the next start.
  ~RecordRetrier();
  RecordRetrier(const RecordRetrier&) = delete;
  RecordRetrier& operator=(const RecordRetrier&) = delete;

  // Retries `pending` from now on, first after a short pause.
  void add(PendingRecord pending);

 private:
  struct Entry {
    PendingRecord pending;
    std::chrono::steady_clock::time_point due;
    std::chrono::milliseconds delay;
  };
  void loop();

  Attempt m_attempt;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stop = false;
  std::vector<Entry> m_entries;
  std::thread m_thread;
};

}  // namespace pushgate::daemon
