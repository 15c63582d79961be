#include "deployers/ssh/ssh_connection.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "core/util/trusted_file.hpp"
#include "deployers/ssh/remote_command.hpp"

namespace pushgate::ssh {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How often run() looks at the clock while a command is silent.
constexpr milliseconds k_poll_slice{100};
// How long send_input waits at a time for the host to open its window.
// libssh's poll returns early for output only, not for the window adjust the
// host sends as its command reads: a long slice would idle after every one
// (sshd opens about 1 MB at a time while tar writes files).
constexpr milliseconds k_window_slice{1};
// Bytes of a command's input taken and written at a time.
constexpr std::size_t k_input_chunk = 256 * 1024;

Error io_error(const HostSpec& host, std::string_view what, ssh_session session) {
  return {ErrorCode::io, fmt::format("{}: {}: {}", host.label(), what, ssh_get_error(session))};
}

// A session to `host` with nothing taken from ~/.ssh or ssh_config, and
// `timeout` on every wait; not connected yet.
Expected<SessionPtr> new_session(const HostSpec& host, const std::filesystem::path& known_hosts,
                                 milliseconds timeout) {
  SessionPtr s(ssh_new());
  if (!s) return Error{ErrorCode::internal, "ssh_new failed"};
  bool no = false;
  int port = host.port;
  long seconds = static_cast<long>(timeout.count() / 1000);
  long micros = static_cast<long>(timeout.count() % 1000) * 1000;
  std::string known = known_hosts.string();
  bool ok = ssh_options_set(s.get(), SSH_OPTIONS_PROCESS_CONFIG, &no) == SSH_OK &&
            ssh_options_set(s.get(), SSH_OPTIONS_HOST, host.host.c_str()) == SSH_OK &&
            ssh_options_set(s.get(), SSH_OPTIONS_PORT, &port) == SSH_OK &&
            (host.user.empty() || ssh_options_set(s.get(), SSH_OPTIONS_USER, host.user.c_str()) == SSH_OK) &&
            ssh_options_set(s.get(), SSH_OPTIONS_KNOWNHOSTS, known.c_str()) == SSH_OK &&
            ssh_options_set(s.get(), SSH_OPTIONS_GLOBAL_KNOWNHOSTS, known.c_str()) == SSH_OK &&
            ssh_options_set(s.get(), SSH_OPTIONS_TIMEOUT, &seconds) == SSH_OK &&
            ssh_options_set(s.get(), SSH_OPTIONS_TIMEOUT_USEC, &micros) == SSH_OK;
  if (!ok) return Error{ErrorCode::config, fmt::format("{}: {}", host.label(), ssh_get_error(s.get()))};
  return s;
}

std::string sha256_fingerprint(ssh_key key) {
  unsigned char* hash = nullptr;
  size_t length = 0;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK) return "";
  SshCharPtr text(ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length));
  ssh_clean_pubkey_hash(&hash);
  return text ? std::string(text.get()) : "";
}

// The fingerprint of the first key `known_hosts` has for `host` (hashed
// names included); "" when it has none. libssh does not hand out the entry
// it compared with when the key changed, so the file is read again.
std::string known_fingerprint(const HostSpec& host, const std::filesystem::path& known_hosts) {
  std::ifstream in(known_hosts);
  std::string name = host.known_hosts_name();
  for (std::string line; std::getline(in, line);) {
    ssh_knownhosts_entry* raw = nullptr;
    if (ssh_known_hosts_parse_line(name.c_str(), line.c_str(), &raw) != SSH_OK) continue;
    KnownHostsEntryPtr entry(raw);
    if (entry->publickey) return sha256_fingerprint(entry->publickey);
  }
  return "";
}

// The key the connected server presented, compared with known_hosts.
Expected<HostKey> check_host_key(const HostSpec& host, ssh_session session, const std::filesystem::path& known_hosts) {
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(session, &raw) != SSH_OK) return io_error(host, "no host key", session);
  KeyPtr key(raw);
  char* base64_raw = nullptr;
  if (ssh_pki_export_pubkey_base64(key.get(), &base64_raw) != SSH_OK)
    return io_error(host, "cannot read the host key", session);
  SshCharPtr base64(base64_raw);
  HostKey out;
  out.type = ssh_key_type_to_char(ssh_key_type(key.get()));
  out.fingerprint = sha256_fingerprint(key.get());
  out.known_hosts_line = fmt::format("{} {} {}", host.known_hosts_name(), out.type, base64.get());
  switch (ssh_session_is_known_server(session)) {
    case SSH_KNOWN_HOSTS_OK: out.state = HostKeyState::known; break;
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      out.state = HostKeyState::changed;
      out.known_fingerprint = known_fingerprint(host, known_hosts);
      break;
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND: out.state = HostKeyState::unknown; break;
    case SSH_KNOWN_HOSTS_ERROR: return io_error(host, "cannot check the host key", session);
  }
  return out;
}

Expected<SessionPtr> connected_session(const HostSpec& host, const std::filesystem::path& known_hosts,
                                       milliseconds timeout) {
  auto session = new_session(host, known_hosts, timeout);
  if (!session) return session.error();
  if (ssh_connect(session->get()) != SSH_OK) return io_error(host, "cannot connect", session->get());
  return session;
}

Error refused_key(const HostSpec& host, const HostKey& key, const std::filesystem::path& known_hosts) {
  if (key.state == HostKeyState::changed)
    return {ErrorCode::config,
            fmt::format("{}: the host key CHANGED: it is {} {}, {} has {}; someone may be intercepting the "
                        "connection, or the host was reinstalled: check the new key on the host "
                        "(ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and replace its line in {} with: {}",
                        host.label(), key.type, key.fingerprint, known_hosts.string(),
                        key.known_fingerprint.empty() ? "another key" : key.known_fingerprint,
                        known_hosts.string(), key.known_hosts_line)};
  return {ErrorCode::config,
          fmt::format("{}: the host key is unknown: {} {} is not in {}; check it on the host "
                      "(ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and, if it matches, add this line: {}",
                      host.label(), key.type, key.fingerprint, known_hosts.string(), key.known_hosts_line)};
}

Expected<bool> check_identity(const std::filesystem::path& identity) {
  TrustedOwners owners{::geteuid()};
  if (auto trusted = check_trusted(identity, owners); !trusted) return trusted.error();
  struct stat st {};
  if (::stat(identity.c_str(), &st) != 0)
    return Error{ErrorCode::config, fmt::format("cannot read identity {}", identity.string())};
  if ((st.st_mode & 077) != 0)
    return Error{ErrorCode::config,
                 fmt::format("identity {} is readable by group or others (mode {:04o}): chmod 600 {}",
                             identity.string(), st.st_mode & 07777, identity.string())};
  return true;
}

// A channel's stdout and stderr, a line at a time to `output`.
class ChannelOutput {
 public:
  ChannelOutput(ssh_channel channel, const LineSink& output) : m_channel(channel), m_output(output) {}
  // Reads what has arrived without waiting: 1 when something did, 0 when
  // nothing, -1 when the connection broke.
  int drain() {
    int got = 0;
    for (int stream : {0, 1}) {
      int n = ssh_channel_read_nonblocking(m_channel, m_buffer, sizeof m_buffer, stream);
      if (n == SSH_ERROR) return -1;
      if (n > 0) {
        got = 1;
        m_pending[stream].append(m_buffer, static_cast<std::size_t>(n));
        emit_lines(m_pending[stream]);
      }
    }
    return got;
  }
  // Hands on the last lines, which had no newline.
  void flush() {
    for (auto& rest : m_pending)
      if (!rest.empty() && m_output) m_output(rest);
  }

 private:
  // Sends complete lines of `pending`, keeping a partial last one.
  void emit_lines(std::string& pending) {
    std::size_t begin = 0;
    for (std::size_t nl; (nl = pending.find('\n', begin)) != std::string::npos; begin = nl + 1)
      if (m_output) m_output(std::string_view(pending).substr(begin, nl - begin));
    pending.erase(0, begin);
  }

  ssh_channel m_channel;
  const LineSink& m_output;
  std::string m_pending[2];
  char m_buffer[16 * 1024];
};

enum class InputEnd { sent, closed, stalled, timed_out, lost, unreadable };

// Whether the command has ended its side: nothing more will be read.
bool remote_done(ssh_channel channel) { return ssh_channel_is_eof(channel) || ssh_channel_is_closed(channel); }

// Writes what `input` gives to the channel, then end of file, never more at
// once than the host's window allows: libssh would otherwise wait for the
// window inside ssh_channel_write, blind to a command that has ended meanwhile.
// What the command prints is read as it comes, so a command that writes
// much while it reads never waits on us either. A host whose window stays
// shut for `stall_limit` has stalled.
InputEnd send_input(ssh_channel channel, CommandInput& input, ChannelOutput& out, Clock::time_point deadline,
                    milliseconds stall_limit, std::string& why) {
  std::vector<char> chunk(k_input_chunk);
  auto progress = Clock::now();
  for (;;) {
    auto got = input.read(chunk.data(), chunk.size());
    if (!got) {
      why = got.error().message;
      return InputEnd::unreadable;
    }
    std::size_t n = *got;
    if (n == 0) break;
    for (std::size_t at = 0; at < n;) {
      if (out.drain() < 0) return InputEnd::lost;
      if (remote_done(channel)) return InputEnd::closed;
      auto now = Clock::now();
      if (now >= deadline) return InputEnd::timed_out;
      std::size_t window = ssh_channel_window_size(channel);
      if (window == 0) {
        if (now - progress >= stall_limit) return InputEnd::stalled;
        // Takes in what the host sends (a window adjust, output, the end) for a moment.
        if (ssh_channel_poll_timeout(channel, static_cast<int>(k_window_slice.count()), 0) == SSH_ERROR)
          return InputEnd::lost;
        continue;
      }
      std::size_t want = std::min(n - at, window);
      int written = ssh_channel_write(channel, chunk.data() + at, static_cast<std::uint32_t>(want));
      if (written == SSH_ERROR) {
        // libssh refuses writes once the host closed, before its last output is read.
        while (out.drain() > 0) {
        }
        return remote_done(channel) ? InputEnd::closed : InputEnd::lost;
      }
      at += static_cast<std::size_t>(written);
      progress = Clock::now();
    }
  }
  return ssh_channel_send_eof(channel) == SSH_OK ? InputEnd::sent : InputEnd::closed;
}

}  // namespace

std::string HostSpec::label() const {
  return fmt::format("{}{}{}:{}", user, user.empty() ? "" : "@", host, port);
}

std::string HostSpec::known_hosts_name() const {
  return port == 22 ? host : fmt::format("[{}]:{}", host, port);
}

Expected<HostKey> probe_host_key(const HostSpec& host, const std::filesystem::path& known_hosts,
                                 milliseconds timeout) {
  auto session = connected_session(host, known_hosts, timeout);
  if (!session) return session.error();
  return check_host_key(host, session->get(), known_hosts);
}

Connection::Connection(HostSpec host, SessionPtr session, milliseconds stall_limit)
    : m_host(std::move(host)), m_session(std::move(session)), m_stall_limit(stall_limit) {}

Expected<Connection> Connection::open(const HostSpec& host, const SshSettings& settings) {
  if (auto trusted = check_trusted(settings.known_hosts, {::geteuid()}); !trusted) return trusted.error();
  if (auto identity = check_identity(settings.identity); !identity) return identity.error();
  auto session = connected_session(host, settings.known_hosts, settings.connect_timeout);
  if (!session) return session.error();
  auto key = check_host_key(host, session->get(), settings.known_hosts);
  if (!key) return key.error();
  if (key->state != HostKeyState::known) return refused_key(host, *key, settings.known_hosts);

  ssh_key raw = nullptr;
  if (ssh_pki_import_privkey_file(settings.identity.c_str(), nullptr, nullptr, nullptr, &raw) != SSH_OK)
    return Error{ErrorCode::config, fmt::format("cannot load identity {} (a private key without passphrase)",
                                                settings.identity.string())};
  KeyPtr identity(raw);
  int auth = ssh_userauth_publickey(session->get(), nullptr, identity.get());
  if (auth != SSH_AUTH_SUCCESS)
    return Error{ErrorCode::config,
                 fmt::format("{}: the host refused identity {}{}", host.label(), settings.identity.string(),
                             auth == SSH_AUTH_ERROR ? fmt::format(" ({})", ssh_get_error(session->get())) : "")};
  return Connection(host, std::move(*session), settings.connect_timeout);
}

ProcessResult Connection::run(const ProcessSpec& spec, const LineSink& output) { return exec(spec, output, nullptr); }

ProcessResult Connection::run(const ProcessSpec& spec, const LineSink& output, CommandInput& input) {
  return exec(spec, output, &input);
}

ProcessResult Connection::exec(const ProcessSpec& spec, const LineSink& output, CommandInput* input) {
  ProcessResult result;
  auto start = Clock::now();
  auto finish = [&] {
    result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    return result;
  };
  std::string command;
  try {
    command = remote_command(spec);
  } catch (const Failure& e) {
    result.error = e.what();
    return result;
  }
  ssh_session s = m_session.get();
  ChannelPtr channel(ssh_channel_new(s));
  if (!channel || ssh_channel_open_session(channel.get()) != SSH_OK ||
      ssh_channel_request_exec(channel.get(), command.c_str()) != SSH_OK) {
    result.error = fmt::format("{}: cannot run '{}': {}", m_host.label(), spec.argv.front(), ssh_get_error(s));
    return finish();
  }
  auto deadline = start + spec.timeout;
  auto lost = [&] {
    result.error = fmt::format("{}: connection lost while running '{}': {}", m_host.label(), spec.argv.front(),
                               ssh_get_error(s));
    return finish();
  };
  auto timed_out = [&] {
    ssh_channel_request_send_signal(channel.get(), "TERM");
    result.timed_out = true;
    result.elapsed = spec.timeout;
    return result;
  };
  ChannelOutput out(channel.get(), output);
  std::string unsent;  // why the command did not get all its input
  bool stalled = false;
  if (input) {
    std::string unreadable;
    auto sent = send_input(channel.get(), *input, out, deadline, m_stall_limit, unreadable);
    if (sent == InputEnd::lost) return lost();
    if (sent == InputEnd::timed_out) return timed_out();
    if (sent == InputEnd::unreadable) {
      result.error = fmt::format("cannot send {} its input: {}", m_host.label(), unreadable);
      return finish();
    }
    stalled = sent == InputEnd::stalled;
    if (stalled) unsent = fmt::format("stopped taking its input for {} ms", m_stall_limit.count());
    if (sent == InputEnd::closed) unsent = "ended before it read all its input";
  }
  for (;;) {
    int got = out.drain();
    if (got < 0) return lost();
    if (got > 0) continue;
    if (ssh_channel_is_eof(channel.get())) break;
    if (stalled) break;  // a stalled host sends no exit status either
    auto now = Clock::now();
    if (now >= deadline) return timed_out();
    auto slice = std::min(k_poll_slice, std::chrono::duration_cast<milliseconds>(deadline - now) + milliseconds(1));
    if (ssh_channel_poll_timeout(channel.get(), static_cast<int>(slice.count()), 0) == SSH_ERROR) return lost();
  }
  out.flush();
  result.exit_code = stalled ? -1 : ssh_channel_get_exit_status(channel.get());
  // A command that failed says why itself; one that did not read all its input failed too.
  if (result.exit_code == 0 && !unsent.empty()) result.exit_code = -1;
  if (result.exit_code < 0)
    result.error = fmt::format("{}: '{}' {}", m_host.label(), spec.argv.front(),
                               unsent.empty() ? "ended without an exit status (killed by a signal, or the "
                                                "connection closed)"
                                              : unsent);
  return finish();
}

Expected<SftpClient*> Connection::sftp() {
  if (!m_sftp) {
    auto opened = SftpClient::open(m_session.get(), m_host.label(), m_stall_limit);
    if (!opened) return opened.error();
    m_sftp = std::make_unique<SftpClient>(std::move(*opened));
  }
  return m_sftp.get();
}

// PUSHGATE_HOST comes with the spec: StepRunner sets it for the host its steps are for.
ProcessResult RemoteProcessRunner::run(const ProcessSpec& spec, const LineSink& output) {
  return m_connection.run(spec, output);
}

}  // namespace pushgate::ssh
