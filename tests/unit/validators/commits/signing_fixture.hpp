#pragma once
// A work tree whose commits are signed with real keys made for the test:
// ssh-keygen keys and GnuPG keys in a private GNUPGHOME, through
// git itself (gpg.format=ssh, or gpg). Tests skip when a tool is missing.

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>

#include <array>
#include <filesystem>
#include <string>

#include "core/git/git.hpp"
#include "tests/unit/support/temp_dir.hpp"

namespace pushgate::test {

class SigningRepo {
 public:
  SigningRepo() {
    m_env = "HOME='" + (m_tmp / "home").string() + "' GNUPGHOME='" + gnupg().string() +
            "' GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@example.invalid "
            "GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@example.invalid LC_ALL=C ";
    std::filesystem::create_directories(gnupg());
    std::filesystem::permissions(gnupg(), std::filesystem::perms::owner_all);
    std::filesystem::create_directories(m_tmp / "home");
    sh("git init -q '" + work().string() + "'");
  }
  ~SigningRepo() { sh("gpgconf --kill gpg-agent >/dev/null 2>&1"); }

  // Why the tools are missing; "" when all are there.
  static std::string missing_tools() {
    for (const char* tool : {"git", "ssh-keygen", "gpg", "gpgv", "gpgconf"})
      if (std::system(("command -v " + std::string(tool) + " >/dev/null 2>&1").c_str()) != 0)
        return std::string(tool) + " is not installed";
    return "";
  }

  const std::filesystem::path& tmp() const { return m_tmp.path(); }
  std::filesystem::path work() const { return m_tmp / "work"; }
  std::filesystem::path gnupg() const { return m_tmp / "gnupg"; }

  // Runs `command` in sh with the fixture's environment; its output.
  std::string sh(const std::string& command) const {
    std::string out;
    FILE* p = ::popen(("{ " + m_env + command + "; } 2>/dev/null").c_str(), "r");
    if (!p) return out;
    std::array<char, 4096> buffer;
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), p)) out.append(buffer.data(), n);
    ::pclose(p);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

  // A key made with ssh-keygen `type` options: `name` and `name`.pub in
  // tmp(); the public line "type base64".
  std::string ssh_key(const std::string& name, const std::string& type = "-t ed25519") const {
    sh("ssh-keygen -q " + type + " -N '' -C " + name + " -f '" + (m_tmp / name).string() + "'");
    return sh("cut -d' ' -f1,2 '" + (m_tmp / name).string() + ".pub'");
  }

  // A GnuPG signing key for `email`, valid for `expiry` from `at` (GnuPG's
  // --faked-system-time, "" for now); its fingerprint.
  std::string gpg_key(const std::string& email, const std::string& expiry = "1y", const std::string& at = "") const {
    std::string fake = at.empty() ? "" : " --faked-system-time " + at;
    sh("gpg --batch --quiet" + fake + " --passphrase '' --quick-gen-key '" + email + "' ed25519 sign " + expiry);
    return sh("gpg --list-keys --with-colons '" + email + "' | awk -F: '/^fpr/{print $10; exit}'");
  }

  // Exports the public keys of `emails` as a binary keyring, for gpgv.
  void export_keyring(const std::string& emails, const std::filesystem::path& file) const {
    sh("gpg --export " + emails + " > '" + file.string() + "'");
  }

  // An empty commit with `message`; `sign` are the git -c options that sign
  // it ("" for none). Its id.
  std::string commit(const std::string& message, const std::string& sign = "") const {
    sh("git -C '" + work().string() + "' " + sign + " commit -q --allow-empty " + (sign.empty() ? "" : "-S ") +
       "-m '" + message + "'");
    return sh("git -C '" + work().string() + "' rev-parse HEAD");
  }
  // Certifies key `name` with CA key `ca` (both made by ssh_key) as ssh-keygen
  // -s does: `options` such as "-I id -n alice@example.com -V 20200101:20200201".
  void ssh_certify(const std::string& name, const std::string& ca, const std::string& options) const {
    sh("ssh-keygen -q -s '" + (m_tmp / ca).string() + "' " + options + " '" + (m_tmp / name).string() + ".pub'");
  }
  std::string ssh_signing(const std::string& key) const {
    return "-c gpg.format=ssh -c user.signingkey='" + (m_tmp / key).string() + ".pub'";
  }
  // Signs with the certificate of `key` (ssh_certify) rather than the key.
  std::string ssh_cert_signing(const std::string& key) const { return ssh_signing(key + "-cert"); }
  std::string gpg_signing(const std::string& fingerprint, const std::string& program = "gpg") const {
    return "-c gpg.format=openpgp -c gpg.program='" + program + "' -c user.signingkey=" + fingerprint;
  }

  // A copy of commit `id` with its message changed and its signature kept.
  std::string tampered(const std::string& id) const {
    std::string dir = work().string();
    return sh("git -C '" + dir + "' cat-file commit " + id + " | sed '$s/$/ (changed)/' | git -C '" + dir +
              "' hash-object -t commit -w --stdin");
  }

  git::RepositoryPtr open() const { return git::open(work().string()).value(); }

 private:
  git::Library m_git;
  TempDir m_tmp;
  std::string m_env;
};

}  // namespace pushgate::test
