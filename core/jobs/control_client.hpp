#pragma once
// The client side of pushgated's control socket (core/jobs/control_protocol.hpp),
// used by the post-receive hook and the CLI.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/jobs/control_protocol.hpp"
#include "core/util/error.hpp"
#include "core/util/unique_fd.hpp"

namespace pushgate {

class ControlClient {
 public:
  using Clock = std::chrono::steady_clock;

  // Connects to the daemon listening on `socket`. nullopt when none does
  // (no socket file, nobody accepting, or no answer within `timeout`).
  static std::optional<ControlClient> connect(const std::filesystem::path& socket,
                                              std::chrono::milliseconds timeout);

  // Sends `request` and reads one reply line before `deadline`. Errors
  // (ErrorCode::io) say whether the daemon hung up or did not answer in time.
  Expected<ControlReply> call(const ControlRequest& request, Clock::time_point deadline);

  // done: the job ended; timed_out: `deadline` passed; silent: the daemon
  // sent nothing, not even a keep-alive, for k_follow_silence (stopped or
  // wedged); lost: it hung up or refused.
  enum class FollowEnd { done, timed_out, silent, lost };
  struct FollowResult {
    FollowEnd end = FollowEnd::lost;
    JobOutcome outcome;  // when end == done
    std::string error;   // when end == lost: why
  };
  // The longest silence a follower takes from the daemon, which sends a
  // keep-alive every second.
  static constexpr std::chrono::seconds k_follow_silence{5};

  // Asks the daemon to stream job `job` of spool `spool_id`'s log: every line
  // so far and each new one goes to `on_line`, until the job ends, `deadline`
  // passes or the daemon falls silent.
  FollowResult follow(const std::string& spool_id, std::uint64_t job,
                      const std::function<void(std::string_view)>& on_line, Clock::time_point deadline);

 private:
  explicit ControlClient(UniqueFd fd) : m_fd(std::move(fd)) {}
  Expected<bool> send_line(const std::string& line);
  // The next line, without its newline; an error on hang-up or at `deadline`.
  Expected<std::string> read_line(Clock::time_point deadline);

  UniqueFd m_fd;
  std::string m_buffer;
};

// What a ping found on a socket.
struct DaemonPing {
  enum class State {
    answered,  // a daemon replied
    absent,    // nobody listens (no socket file, or no daemon behind it)
    silent,    // connected, but no good reply in time (wedged, stopped, or refusing: see error)
  };
  State state = State::absent;
  std::string version;   // answered: what the daemon reports
  std::string spool;     // answered: the spool folder it serves
  std::string spool_id;  // answered: that spool's id
  std::string error;     // silent: what went wrong
};

// Pings the daemon on `socket`: a full round trip, bounded by `timeout`.
DaemonPing ping(const std::filesystem::path& socket, std::chrono::milliseconds timeout);

// The version pushgated reports when it answers a ping on `socket` within
// `timeout`; nullopt when no daemon answers.
std::optional<std::string> ping_daemon(const std::filesystem::path& socket,
                                       std::chrono::milliseconds timeout);

}  // namespace pushgate
