#include "core/jobs/control_client.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pushgate {

namespace {

int remaining_ms(ControlClient::Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - ControlClient::Clock::now());
  if (left.count() <= 0) return 0;
  return left.count() > 60'000 ? 60'000 : static_cast<int>(left.count());
}

}  // namespace

std::optional<ControlClient> ControlClient::connect(const std::filesystem::path& socket,
                                                    std::chrono::milliseconds timeout) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string& path = socket.native();
  if (path.empty() || path.size() >= sizeof addr.sun_path) return std::nullopt;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);

  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return std::nullopt;
  // A Unix socket's connect only blocks when the daemon's backlog is full;
  // the send timeout bounds that wait.
  timeval tv{};
  tv.tv_sec = timeout.count() / 1000;
  tv.tv_usec = (timeout.count() % 1000) * 1000;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return std::nullopt;
  return ControlClient(std::move(fd));
}

Expected<bool> ControlClient::send_line(const std::string& line) {
  std::string data = line + "\n";
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(m_fd.get(), data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return Error{ErrorCode::io, fmt::format("cannot talk to pushgated: {}", std::strerror(errno))};
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

Expected<std::string> ControlClient::read_line(Clock::time_point deadline) {
  for (;;) {
    if (auto nl = m_buffer.find('\n'); nl != std::string::npos) {
      std::string line = m_buffer.substr(0, nl);
      m_buffer.erase(0, nl + 1);
      return line;
    }
    if (m_buffer.size() > k_max_control_line)
      return Error{ErrorCode::io, "pushgated sent a line that is too long"};
    pollfd p{m_fd.get(), POLLIN, 0};
    int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return Error{ErrorCode::io, "pushgated did not answer in time"};
    char chunk[8192];
    ssize_t n = ::recv(m_fd.get(), chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error{ErrorCode::io, "pushgated closed the connection"};
    m_buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

Expected<ControlReply> ControlClient::call(const ControlRequest& request, Clock::time_point deadline) {
  if (auto sent = send_line(format_control_request(request)); !sent) return sent.error();
  auto line = read_line(deadline);
  if (!line) return line.error();
  return parse_control_reply(*line);
}

ControlClient::FollowResult ControlClient::follow(const std::string& spool_id, std::uint64_t job,
                                                  const std::function<void(std::string_view)>& on_line,
                                                  Clock::time_point deadline) {
  FollowResult result;
  ControlRequest request;
  request.op = ControlOp::follow;
  request.job = job;
  request.spool_id = spool_id;
  if (auto sent = send_line(format_control_request(request)); !sent) {
    result.error = sent.error().message;
    return result;
  }
  for (;;) {
    if (Clock::now() >= deadline) {
      result.end = FollowEnd::timed_out;
      return result;
    }
    auto silence_ends = Clock::now() + k_follow_silence;
    auto line = read_line(std::min(deadline, silence_ends));
    if (!line) {
      auto now = Clock::now();
      result.end = now >= deadline ? FollowEnd::timed_out : now >= silence_ends ? FollowEnd::silent : FollowEnd::lost;
      result.error = result.end == FollowEnd::silent
                         ? fmt::format("pushgated stopped answering (nothing for {} s)", k_follow_silence.count())
                         : line.error().message;
      return result;
    }
    auto reply = parse_control_reply(*line);
    if (!reply) {
      result.error = reply.error().message;
      return result;
    }
    if (!reply->ok) {
      result.error = reply->error;
      return result;
    }
    if (reply->line) on_line(*reply->line);
    if (reply->done) {
      result.end = FollowEnd::done;
      result.outcome = std::move(*reply->done);
      return result;
    }
  }
}

DaemonPing ping(const std::filesystem::path& socket, std::chrono::milliseconds timeout) {
  DaemonPing result;
  auto deadline = ControlClient::Clock::now() + timeout;
  auto client = ControlClient::connect(socket, timeout);
  if (!client) return result;
  // The kernel accepts a connection into the backlog of a stopped daemon:
  // only a reply proves that one runs.
  auto reply = client->call(ControlRequest{}, deadline);
  if (!reply || !reply->ok) {
    result.state = DaemonPing::State::silent;
    result.error = reply ? reply->error : reply.error().message;
    return result;
  }
  result.state = DaemonPing::State::answered;
  result.version = reply->version;
  result.spool = reply->spool;
  result.spool_id = reply->spool_id;
  return result;
}

std::optional<std::string> ping_daemon(const std::filesystem::path& socket,
                                       std::chrono::milliseconds timeout) {
  DaemonPing found = ping(socket, timeout);
  if (found.state != DaemonPing::State::answered) return std::nullopt;
  return found.version;
}

}  // namespace pushgate
