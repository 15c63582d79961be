#pragma once
// A real OpenSSH sshd on a loopback port for unit tests of the SSH deployer,
// started by tests/support/loopback_sshd.sh (the same server the e2e suites
// use): its own host key, a client key it accepts for the current user, and
// a known_hosts file with its key. Tests skip, saying why, when this machine
// cannot run sshd.

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/unit/support/temp_dir.hpp"

namespace pushgate::test {

class LoopbackSshd {
 public:
  LoopbackSshd() {
    std::filesystem::path script = std::filesystem::path(PUSHGATE_SOURCE_DIR) / "tests/support/loopback_sshd.sh";
    std::string dir = (m_dir / "sshd").string();
    // cannot_here writes the reason beside the folder, so the test can skip with it.
    std::string command = "bash -c 'source \"$0\"; dir=$1; "
              "die() { printf \"%s\\n\" \"$@\" >&2; exit 1; }; "
              "cannot_here() { printf \"%s\\n\" \"$1\" >\"$dir.skip\"; exit 77; }; "
              "pids=(); start_loopback_sshd \"$dir\" pids cannot_here; "
              "echo \"${SSH_URL##*:} ${pids[-1]}\" >\"$dir/started\"' " +
              quote(script.string()) + " " + quote(dir) + " >" + quote(dir + ".log") + " 2>&1 </dev/null";
    int status = std::system(command.c_str());
    if (std::filesystem::exists(dir + ".skip")) {
      m_skip = slurp(dir + ".skip");
      return;
    }
    std::ifstream started(dir + "/started");
    if (status != 0 || !(started >> m_port >> m_pid))
      throw std::runtime_error("loopback sshd did not start: " + slurp(dir + ".log"));
  }
  ~LoopbackSshd() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGCONT);
      ::kill(m_pid, SIGTERM);
    }
  }
  LoopbackSshd(const LoopbackSshd&) = delete;
  LoopbackSshd& operator=(const LoopbackSshd&) = delete;

  // Why sshd cannot run here; "" when it runs.
  const std::string& skip_reason() const { return m_skip; }
  int port() const { return m_port; }
  std::filesystem::path dir() const { return m_dir / "sshd"; }
  std::filesystem::path client_key() const { return dir() / "client_key"; }
  std::filesystem::path known_hosts() const { return dir() / "known_hosts"; }
  // SIGSTOP: the kernel still accepts connections, nobody answers them.
  void stop() const { ::kill(m_pid, SIGSTOP); }
  void resume() const { ::kill(m_pid, SIGCONT); }
  // Sends `signal` to the per-connection processes sshd forked (not to sshd
  // itself): SIGSTOP makes open connections stop answering.
  void signal_sessions(int signal) const {
    std::vector<pid_t> pids{m_pid};
    for (std::size_t i = 0; i < pids.size(); ++i) {
      std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(("pgrep -P " + std::to_string(pids[i])).c_str(), "r"),
                                                 ::pclose);
      for (int child = 0; pipe && std::fscanf(pipe.get(), "%d", &child) == 1;) pids.push_back(child);
    }
    for (std::size_t i = 1; i < pids.size(); ++i) ::kill(pids[i], signal);
  }

  static std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }

 private:
  TempDir m_dir;
  std::string m_skip;
  int m_port = 0;
  pid_t m_pid = 0;
};

// True, after a warning saying why, when `sshd` could not run here.
inline bool skipped(const LoopbackSshd& sshd) {
  if (sshd.skip_reason().empty()) return false;
  WARN("skipped: " << sshd.skip_reason());
  return true;
}

// One sshd for the tests that leave it running as it is (starting one
// takes most of a second), or nullptr after a warning when none can run.
inline const LoopbackSshd* shared_sshd() {
  static LoopbackSshd sshd;
  return skipped(sshd) ? nullptr : &sshd;
}

// The account the tests run as.
inline std::string current_user() {
  const char* user = std::getenv("USER");
  if (user && *user) return user;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen("id -un", "r"), ::pclose);
  char buffer[256] = {};
  if (!pipe || !std::fgets(buffer, sizeof buffer, pipe.get())) return "";
  std::string out = buffer;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace pushgate::test
