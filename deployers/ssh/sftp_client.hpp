#pragma once
// The SFTP operations that read what is on a host: small files, folder
// listings, symlinks; and removing a file. Releases themselves are written
// by a tar stream (remote_release_folder.hpp).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"
#include "core/util/watchdog.hpp"
#include "deployers/ssh/ssh_handles.hpp"

namespace pushgate::ssh {

class SftpClient {
 public:
  // Opens the SFTP subsystem on `session`, which must outlive the client.
  // `host` names the host in errors. A request the host does not answer
  // within `stall_limit` fails, and the connection with it: libssh 0.10
  // waits for an SFTP answer forever, so the socket is shut down then.
  static Expected<SftpClient> open(ssh_session session, std::string host, std::chrono::milliseconds stall_limit);

  // Each returns an Error (ErrorCode::io) naming the host, the path and the
  // server's reason.
  // At most `max_size` bytes of `path`; a missing file is ErrorCode::input.
  Expected<std::string> read_file(const std::string& path, std::size_t max_size);
  Expected<bool> remove(const std::string& path);
  // The names in folder `path` (without . and ..); a missing folder is
  // ErrorCode::input.
  Expected<std::vector<std::string>> list(const std::string& path);
  // The target of symlink `path`; a missing link is ErrorCode::input.
  Expected<std::string> read_link(const std::string& path);

 private:
  SftpClient(ssh_session session, SftpPtr sftp, std::string host, std::chrono::milliseconds stall_limit)
      : m_session(session), m_sftp(std::move(sftp)), m_host(std::move(host)), m_stall_limit(stall_limit) {}
  Error failure(std::string_view what, const std::string& path) const;
  // Bounds one request (see open()).
  Watchdog guard() const;

  ssh_session m_session;  // not owned
  SftpPtr m_sftp;
  std::string m_host;
  std::chrono::milliseconds m_stall_limit;
};

}  // namespace pushgate::ssh
