#include "daemon/log_follower.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <string>

#include "core/jobs/control_protocol.hpp"
#include "core/jobs/spool_entry.hpp"
#include "core/util/unique_fd.hpp"
#include "daemon/record_retrier.hpp"

namespace pushgate::daemon {

namespace {

// Reads the log from where the last call stopped and sends each whole line.
class LogTail {
 public:
  LogTail(std::filesystem::path file, Connection& client) : m_file(std::move(file)), m_client(client) {}

  // False when the client is gone.
  bool send_new_lines() {
    // The log appears when the job starts; until then there is nothing to send.
    if (!m_fd) m_fd = open_job_log_for_reading(m_file);
    if (!m_fd) return true;
    char chunk[16384];
    for (;;) {
      ssize_t n = ::read(m_fd.get(), chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      m_partial.append(chunk, static_cast<std::size_t>(n));
      std::size_t start = 0;
      for (std::size_t nl; (nl = m_partial.find('\n', start)) != std::string::npos; start = nl + 1)
        if (!m_client.send(reply_line(std::string_view(m_partial).substr(start, nl - start)))) return false;
      if (start > 0) m_last_sent = std::chrono::steady_clock::now();
      m_partial.erase(0, start);
    }
    return true;
  }

  // Sends a keep-alive when nothing went out for a second, so the client
  // can tell a quiet deploy from a stopped daemon. False when the client is gone.
  bool keep_alive() {
    auto now = std::chrono::steady_clock::now();
    if (now - m_last_sent < std::chrono::seconds(1)) return true;
    m_last_sent = now;
    return m_client.send(reply_keepalive());
  }

 private:
  std::filesystem::path m_file;
  Connection& m_client;
  UniqueFd m_fd;
  std::string m_partial;
  std::chrono::steady_clock::time_point m_last_sent = std::chrono::steady_clock::now();
};

// A deployed job whose notes are not written yet: the follower is told now,
// rather than waiting for a record that may take long.
std::optional<JobOutcome> pending_outcome(const Spool& spool, std::uint64_t job) {
  auto text = spool.pending_record(job);
  if (!text) return std::nullopt;
  std::string status = "record pending";
  if (auto pending = pending_from_json(*text, Job{})) status = to_string(pending->record.status);
  return JobOutcome{status, "",
                    "deployed, but the deploy note cannot be written yet; pushgated retries until it is "
                    "(`pushgate status` shows it as record pending)",
                    ""};
}

}  // namespace

void follow_job(const Spool& spool, LogBoard& board, const std::string& spool_id, std::uint64_t job,
                Connection& client) {
  // Job numbers repeat across spools: job 17 of another spool is not this one.
  if (spool_id != spool.id()) {
    client.send(reply_error(fmt::format("job {} was queued in another spool (id {}); this pushgated serves {} "
                                        "(id {}). Restart pushgated after changing spool: in pushgated.yaml",
                                        job, spool_id, spool.dir().string(), spool.id())));
    return;
  }
  if (spool.phase(job) == JobPhase::unknown) {
    client.send(reply_error(fmt::format("there is no job {} in {}", job, spool.dir().string())));
    return;
  }
  LogTail tail(spool.log_path(job), client);
  for (;;) {
    std::uint64_t seen = board.version();
    // The phase before the log: a job marked done has written all its lines.
    JobPhase phase = spool.phase(job);
    if (!tail.send_new_lines()) return;
    if (phase == JobPhase::done) {
      auto outcome = spool.outcome(job);
      client.send(outcome ? reply_done(*outcome) : reply_error(fmt::format("job {} has no outcome", job)));
      return;
    }
    if (phase == JobPhase::active)
      if (auto pending = pending_outcome(spool, job)) {
        client.send(reply_done(*pending));
        return;
      }
    if (client.peer_gone() || !tail.keep_alive()) return;
    // The timeout only bounds how late a departed client is noticed.
    if (!board.wait(seen, std::chrono::milliseconds(500))) {
      client.send(reply_error("pushgated is stopping; the job goes on when it starts again"));
      return;
    }
  }
}

}  // namespace pushgate::daemon
