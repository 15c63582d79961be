#include "deployers/ssh/sftp_client.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <fmt/format.h>

namespace pushgate::ssh {

namespace {

// SFTP status codes (draft-ietf-secsh-filexfer-02) as words for messages.
std::string_view sftp_reason(int code) {
  switch (code) {
    case SSH_FX_NO_SUCH_FILE: return "no such file";
    case SSH_FX_PERMISSION_DENIED: return "permission denied";
    case SSH_FX_FAILURE: return "failure (the disk may be full, or the path exists)";
    case SSH_FX_FILE_ALREADY_EXISTS: return "already exists";
    case SSH_FX_CONNECTION_LOST: return "connection lost";
    default: return "error";
  }
}

// One SFTP packet's worth.
constexpr std::size_t k_read_chunk = 32 * 1024;

}  // namespace

Expected<SftpClient> SftpClient::open(ssh_session session, std::string host, std::chrono::milliseconds stall_limit) {
  Watchdog bound(stall_limit, [fd = ssh_get_fd(session)] { ::shutdown(fd, SHUT_RDWR); });
  SftpPtr sftp(sftp_new(session));
  if (!sftp || sftp_init(sftp.get()) != SSH_OK)
    return Error{ErrorCode::io, fmt::format("{}: cannot start SFTP: {}", host, ssh_get_error(session))};
  return SftpClient(session, std::move(sftp), std::move(host), stall_limit);
}

Watchdog SftpClient::guard() const {
  // Shutting the socket down touches no libssh state: the waiting call
  // sees the connection end and fails.
  return Watchdog(m_stall_limit, [fd = ssh_get_fd(m_session)] { ::shutdown(fd, SHUT_RDWR); });
}

Error SftpClient::failure(std::string_view what, const std::string& path) const {
  int code = sftp_get_error(m_sftp.get());
  std::string detail = code == SSH_FX_OK ? ssh_get_error(m_session) : std::string(sftp_reason(code));
  return {code == SSH_FX_NO_SUCH_FILE ? ErrorCode::input : ErrorCode::io,
          fmt::format("{}: cannot {} '{}': {}", m_host, what, path, detail)};
}

Expected<std::string> SftpClient::read_file(const std::string& path, std::size_t max_size) {
  SftpFilePtr file;
  {
    auto bound = guard();
    file.reset(sftp_open(m_sftp.get(), path.c_str(), O_RDONLY, 0));
  }
  if (!file) return failure("open", path);
  std::string out;
  char buffer[k_read_chunk];
  for (;;) {
    auto bound = guard();
    ssize_t n = sftp_read(file.get(), buffer, sizeof buffer);
    if (n < 0) return failure("read", path);
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
    if (out.size() > max_size)
      return Error{ErrorCode::io, fmt::format("{}: '{}' is larger than {} bytes", m_host, path, max_size)};
  }
  return out;
}

Expected<bool> SftpClient::remove(const std::string& path) {
  auto bound = guard();
  if (sftp_unlink(m_sftp.get(), path.c_str()) != SSH_OK) return failure("remove", path);
  return true;
}

Expected<std::vector<std::string>> SftpClient::list(const std::string& path) {
  auto bound = guard();  // a listing is a few requests: one bound for all
  SftpDirPtr dir(sftp_opendir(m_sftp.get(), path.c_str()));
  if (!dir) return failure("list", path);
  std::vector<std::string> names;
  while (sftp_attributes raw = sftp_readdir(m_sftp.get(), dir.get())) {
    SftpAttributesPtr attributes(raw);
    std::string name = raw->name ? raw->name : "";
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  if (!sftp_dir_eof(dir.get())) return failure("list", path);
  return names;
}

Expected<std::string> SftpClient::read_link(const std::string& path) {
  auto bound = guard();
  SshCharPtr target(sftp_readlink(m_sftp.get(), path.c_str()));
  if (!target) return failure("read symlink", path);
  return std::string(target.get());
}

}  // namespace pushgate::ssh
