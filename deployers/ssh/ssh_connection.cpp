#include "deployers/ssh/ssh_connection.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "core/util/trusted_file.hpp"
#include "deployers/ssh/remote_command.hpp"

namespace pushgate::ssh {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How often run() looks at the clock while a command is silent.
constexpr milliseconds k_poll_slice{100};

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

// Sends complete lines of `pending` to `output`, keeping a partial last one.
void emit_lines(std::string& pending, const LineSink& output) {
  std::size_t begin = 0;
  for (std::size_t nl; (nl = pending.find('\n', begin)) != std::string::npos; begin = nl + 1)
    if (output) output(std::string_view(pending).substr(begin, nl - begin));
  pending.erase(0, begin);
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

ProcessResult Connection::run(const ProcessSpec& spec, const LineSink& output) {
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
  std::string pending[2];
  char buffer[16 * 1024];
  for (;;) {
    bool got = false;
    for (int stream : {0, 1}) {
      int n = ssh_channel_read_nonblocking(channel.get(), buffer, sizeof buffer, stream);
      if (n == SSH_ERROR) {
        result.error = fmt::format("{}: connection lost while running '{}': {}", m_host.label(), spec.argv.front(),
                                   ssh_get_error(s));
        return finish();
      }
      if (n > 0) {
        got = true;
        pending[stream].append(buffer, static_cast<std::size_t>(n));
        emit_lines(pending[stream], output);
      }
    }
    if (got) continue;
    if (ssh_channel_is_eof(channel.get())) break;
    auto now = Clock::now();
    if (now >= deadline) {
      ssh_channel_request_send_signal(channel.get(), "TERM");
      result.timed_out = true;
      result.elapsed = spec.timeout;
      return result;
    }
    auto slice = std::min(k_poll_slice, std::chrono::duration_cast<milliseconds>(deadline - now) + milliseconds(1));
    if (int polled = ssh_channel_poll_timeout(channel.get(), static_cast<int>(slice.count()), 0);
        polled == SSH_ERROR) {
      result.error = fmt::format("{}: connection lost while running '{}': {}", m_host.label(), spec.argv.front(),
                                 ssh_get_error(s));
      return finish();
    }
  }
  for (auto& rest : pending)
    if (!rest.empty() && output) output(rest);
  result.exit_code = ssh_channel_get_exit_status(channel.get());
  if (result.exit_code < 0)
    result.error = fmt::format("{}: '{}' ended without an exit status (killed by a signal, or the connection "
                               "closed)", m_host.label(), spec.argv.front());
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
