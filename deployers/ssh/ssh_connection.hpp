#pragma once
// One authenticated SSH connection to one host of a fleet, on libssh.
//
// The host key is checked strictly against the administrator's known_hosts
// file and nothing else (no ~/.ssh, no global file, no ssh_config): an
// unknown key and a changed key both refuse the host, saying its SHA256
// fingerprint and what to do; there is no trust on first use. The client
// authenticates with one identity file only.
//
// Every blocking step is bounded: connect_timeout bounds the TCP connect,
// the handshake and, as libssh's session timeout, every later wait for a
// packet (so a host that accepts and then hangs, e.g. a stopped sshd, ends
// with an error instead of a hung deploy); run() also bounds the whole
// command by its own timeout.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/error.hpp"
#include "core/util/process.hpp"
#include "deployers/ssh/command_input.hpp"
#include "deployers/ssh/sftp_client.hpp"
#include "deployers/ssh/ssh_handles.hpp"

namespace pushgate::ssh {

// One host: where to connect, as whom, and its target folder.
struct HostSpec {
  std::string host;
  int port = 22;
  std::string user;
  std::string dir;
  // "user@host:port" for messages and logs.
  std::string label() const;
  // How known_hosts names this host: "host", or "[host]:port" off port 22.
  std::string known_hosts_name() const;
};

// How to reach every host of an environment.
struct SshSettings {
  std::filesystem::path identity;     // private key; must not be readable by group or others
  std::filesystem::path known_hosts;  // the only host keys trusted
  std::chrono::milliseconds connect_timeout{10'000};
};

enum class HostKeyState { known, unknown, changed };

// A host's key as it presented it, compared with known_hosts.
struct HostKey {
  HostKeyState state = HostKeyState::unknown;
  std::string type;                // "ssh-ed25519", ...
  std::string fingerprint;         // "SHA256:..." as ssh-keygen -l prints it
  std::string known_hosts_line;    // "[127.0.0.1]:2222 ssh-ed25519 AAAA..." to add after checking
  std::string known_fingerprint;   // changed: the fingerprint known_hosts has, "" when not known
};

// Connects to `host` without authenticating and reports its key against
// `known_hosts` (a missing file knows no host). An Error (ErrorCode::io)
// names the host when it cannot be reached within `timeout`.
Expected<HostKey> probe_host_key(const HostSpec& host, const std::filesystem::path& known_hosts,
                                 std::chrono::milliseconds timeout);

// An authenticated connection. Move-only; closing it closes its channels.
class Connection {
 public:
  // Connects, verifies the host key and authenticates. Errors name the host:
  // ErrorCode::config for an identity or known_hosts that is not a trusted
  // file, a host key that is unknown or changed (with the fingerprints and
  // the known_hosts line to add), or an identity the host refuses;
  // ErrorCode::io only for a host that cannot be reached or does not answer
  // in time.
  static Expected<Connection> open(const HostSpec& host, const SshSettings& settings);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  const HostSpec& host() const { return m_host; }

  // Runs `spec` on the host (quoted as remote_command() says) and waits for
  // it, at most spec.timeout: then the command is sent SIGTERM, the channel
  // closed and the result says timed_out. Lines of its stdout and stderr go
  // to `output` as they arrive. A broken connection is result.error.
  ProcessResult run(const ProcessSpec& spec, const LineSink& output);
  // As run(), with what `input` gives as the command's stdin, then end of
  // file. A host that takes no data for connect_timeout (or the command
  // ending before it read everything, or `input` failing) ends the run:
  // result.error says so, or the command's own exit status when it ended first.
  ProcessResult run(const ProcessSpec& spec, const LineSink& output, CommandInput& input);

  // The connection's SFTP session, opened on first use (an Error names the
  // host when the server has no SFTP subsystem).
  Expected<SftpClient*> sftp();

 private:
  Connection(HostSpec host, SessionPtr session, std::chrono::milliseconds stall_limit);
  // run() with `input` (nullptr: none) as stdin.
  ProcessResult exec(const ProcessSpec& spec, const LineSink& output, CommandInput* input);

  HostSpec m_host;
  SessionPtr m_session;
  std::chrono::milliseconds m_stall_limit;  // connect_timeout: the longest wait for an SFTP answer
  std::unique_ptr<SftpClient> m_sftp;  // declared after the session: freed first
};

// Runs commands on one host through `connection`, for StepRunner: the
// administrator's before/after/health commands then run on the host with
// PUSHGATE_HOST (set by StepRunner for its host). `connection` must outlive it.
class RemoteProcessRunner : public ProcessRunner {
 public:
  explicit RemoteProcessRunner(Connection& connection) : m_connection(connection) {}
  ProcessResult run(const ProcessSpec& spec, const LineSink& output) override;

 private:
  Connection& m_connection;
};

}  // namespace pushgate::ssh
