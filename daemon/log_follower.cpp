#include "daemon/log_follower.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "core/control_protocol.hpp"
#include "core/spool_entry.hpp"
#include "core/unique_fd.hpp"

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
      m_partial.erase(0, start);
    }
    return true;
  }

 private:
  std::filesystem::path m_file;
  Connection& m_client;
  UniqueFd m_fd;
  std::string m_partial;
};

}  // namespace

void follow_job(const Spool& spool, LogBoard& board, std::uint64_t job, Connection& client) {
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
    if (client.peer_gone()) return;
    // The timeout only bounds how late a departed client is noticed.
    if (!board.wait(seen, std::chrono::seconds(1))) {
      client.send(reply_error("pushgated is stopping; the job goes on when it starts again"));
      return;
    }
  }
}

}  // namespace pushgate::daemon
