#pragma once
// Move-only owners of libssh's C handles, so every session, channel, SFTP
// session, file, folder listing and key is freed on every path. A channel or SFTP session
// must be destroyed before the session it belongs to: declare owners in that
// order. Strings libssh allocates for the caller are freed by SshCharPtr.

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <memory>

namespace pushgate::ssh {

struct SessionFree {
  void operator()(ssh_session s) const {
    ssh_disconnect(s);
    ssh_free(s);
  }
};
struct ChannelFree {
  void operator()(ssh_channel c) const {
    ssh_channel_close(c);
    ssh_channel_free(c);
  }
};
struct SftpFree {
  void operator()(sftp_session s) const { sftp_free(s); }
};
struct SftpFileFree {
  void operator()(sftp_file f) const { sftp_close(f); }
};
struct SftpDirFree {
  void operator()(sftp_dir d) const { sftp_closedir(d); }
};
struct SftpAttributesFree {
  void operator()(sftp_attributes a) const { sftp_attributes_free(a); }
};
struct KeyFree {
  void operator()(ssh_key k) const { ssh_key_free(k); }
};
struct CharFree {
  void operator()(char* s) const { ssh_string_free_char(s); }
};
struct KnownHostsEntryFree {
  void operator()(ssh_knownhosts_entry* e) const { ssh_knownhosts_entry_free(e); }
};

using SessionPtr = std::unique_ptr<ssh_session_struct, SessionFree>;
using ChannelPtr = std::unique_ptr<ssh_channel_struct, ChannelFree>;
using SftpPtr = std::unique_ptr<sftp_session_struct, SftpFree>;
using SftpFilePtr = std::unique_ptr<sftp_file_struct, SftpFileFree>;
using SftpDirPtr = std::unique_ptr<sftp_dir_struct, SftpDirFree>;
using SftpAttributesPtr = std::unique_ptr<sftp_attributes_struct, SftpAttributesFree>;
using KeyPtr = std::unique_ptr<ssh_key_struct, KeyFree>;
using SshCharPtr = std::unique_ptr<char, CharFree>;
using KnownHostsEntryPtr = std::unique_ptr<ssh_knownhosts_entry, KnownHostsEntryFree>;

}  // namespace pushgate::ssh
