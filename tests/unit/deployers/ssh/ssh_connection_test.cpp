#include "deployers/ssh/ssh_connection.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include <catch2/catch.hpp>

#include "tests/unit/support/loopback_sshd.hpp"

using namespace pushgate;
using namespace pushgate::ssh;
using namespace pushgate::test;
using namespace std::chrono_literals;

namespace {

HostSpec host_of(const LoopbackSshd& sshd) { return {"127.0.0.1", sshd.port(), current_user(), ""}; }

SshSettings settings_of(const LoopbackSshd& sshd) { return {sshd.client_key(), sshd.known_hosts(), 5s}; }

// What `command` prints, without the final newline.
std::string output_of(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  std::string out;
  char buffer[512];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe.get())) out += buffer;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// "SHA256:..." of the public key file `pub`, as ssh-keygen prints it.
std::string fingerprint_of(const std::filesystem::path& pub) {
  std::string line = output_of("ssh-keygen -E sha256 -lf " + LoopbackSshd::quote(pub.string()));
  auto begin = line.find(' ');
  return line.substr(begin + 1, line.find(' ', begin + 1) - begin - 1);
}

// A new ed25519 key pair at `path`, mode 0600.
void new_key(const std::filesystem::path& path) {
  std::string cmd = "ssh-keygen -q -t ed25519 -N '' -f " + LoopbackSshd::quote(path.string()) + " </dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
}

struct Run {
  ProcessResult result;
  std::vector<std::string> lines;
};

Run run(Connection& c, ProcessSpec spec) {
  Run r;
  r.result = c.run(spec, [&](std::string_view line) { r.lines.emplace_back(line); });
  return r;
}

}  // namespace

TEST_CASE("ssh Connection runs remote commands with every value passed through unchanged") {
  const LoopbackSshd* shared = shared_sshd();
  if (!shared) return;
  const LoopbackSshd& sshd = *shared;
  TempDir scratch;
  auto c = Connection::open(host_of(sshd), settings_of(sshd));
  REQUIRE(c.has_value());

  SECTION("shell metacharacters in argv and values are not interpreted") {
    std::filesystem::path witness = scratch.path() / "witness";
    std::vector<std::string> values = {"$(touch " + witness.string() + ")", "a;b", "it's \"quoted\"",
                                       "`touch " + witness.string() + "`", "two  spaces", "*", "$HOME", "-n",
                                       "", "a|b&c>d"};
    ProcessSpec spec;
    spec.argv = {"printf", "[%s]\\n"};
    spec.argv.insert(spec.argv.end(), values.begin(), values.end());
    Run r = run(*c, spec);
    CHECK(r.result.ok());
    std::vector<std::string> expected;
    for (const auto& v : values) expected.push_back("[" + v + "]");
    CHECK(r.lines == expected);
    CHECK_FALSE(std::filesystem::exists(witness));
  }
  SECTION("a newline inside an argument stays inside it") {
    Run r = run(*c, {{"printf", "<%s>\\n", "line 1\nline 2; touch x"}, {}, {}, 10s});
    CHECK(r.lines == std::vector<std::string>{"<line 1", "line 2; touch x>"});
  }
  SECTION("variables reach the command whatever their value, without AcceptEnv") {
    Run r = run(*c, {{"printenv", "PUSHGATE_VALUE"}, {{"PUSHGATE_VALUE", "$(id) 'q' `x`\nnext"}}, {}, 10s});
    CHECK(r.result.ok());
    CHECK(r.lines == std::vector<std::string>{"$(id) 'q' `x`", "next"});
  }
  SECTION("the command runs in the working folder, even one with spaces and quotes") {
    std::filesystem::path cwd = scratch.path() / "it's a folder";
    std::filesystem::create_directories(cwd);
    Run r = run(*c, {{"pwd"}, {}, cwd, 10s});
    CHECK(r.lines == std::vector<std::string>{cwd.string()});
  }
  SECTION("stdout and stderr are streamed and the exit status returned") {
    Run r = run(*c, {{"sh", "-c", "echo out; echo err >&2; exit 3"}, {}, {}, 10s});
    CHECK(r.result.exit_code == 3);
    CHECK_FALSE(r.result.ok());
    CHECK(r.result.describe() == "exit status 3");
    std::sort(r.lines.begin(), r.lines.end());
    CHECK(r.lines == std::vector<std::string>{"err", "out"});
  }
  SECTION("a command that runs past its timeout is stopped and says so") {
    auto start = std::chrono::steady_clock::now();
    Run r = run(*c, {{"sleep", "30"}, {}, {}, 500ms});
    CHECK(r.result.timed_out);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    // The connection is still usable for the next command.
    CHECK(run(*c, {{"true"}, {}, {}, 10s}).result.ok());
  }
  SECTION("a variable name env would misread is refused before anything runs") {
    Run r = run(*c, {{"true"}, {{"A=B", "x"}}, {}, 10s});
    CHECK_THAT(r.result.error, Catch::Contains("'A=B' is not a variable name"));
  }
  SECTION("RemoteProcessRunner runs the spec on the host, its variables included") {
    // StepRunner puts PUSHGATE_HOST into the spec (step_runner_test.cpp).
    RemoteProcessRunner runner(*c);
    std::vector<std::string> lines;
    auto result = runner.run({{"printenv", "PUSHGATE_HOST"}, {{"PUSHGATE_HOST", "127.0.0.1"}}, {}, 10s},
                             [&](std::string_view l) { lines.emplace_back(l); });
    CHECK(result.ok());
    CHECK(lines == std::vector<std::string>{"127.0.0.1"});
  }
}

TEST_CASE("ssh Connection verifies the host key against known_hosts only") {
  const LoopbackSshd* shared = shared_sshd();
  if (!shared) return;
  const LoopbackSshd& sshd = *shared;
  TempDir scratch;
  std::string fingerprint = fingerprint_of(sshd.dir() / "host_key.pub");
  REQUIRE(fingerprint.starts_with("SHA256:"));
  SshSettings settings = settings_of(sshd);

  SECTION("a known key is reported as known") {
    auto key = probe_host_key(host_of(sshd), settings.known_hosts, 5s);
    REQUIRE(key.has_value());
    CHECK(key->state == HostKeyState::known);
    CHECK(key->fingerprint == fingerprint);
    CHECK(key->type == "ssh-ed25519");
  }
  SECTION("an unknown key is refused with its fingerprint and the line to add") {
    settings.known_hosts = scratch.path() / "empty_known_hosts";
    spit(settings.known_hosts, "");
    auto c = Connection::open(host_of(sshd), settings);
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().code == ErrorCode::config);
    CHECK_THAT(c.error().message, Catch::Contains("unknown") && Catch::Contains(fingerprint) &&
                                      Catch::Contains(fmt::format("[127.0.0.1]:{} ssh-ed25519 AAAA", sshd.port())));
    auto key = probe_host_key(host_of(sshd), settings.known_hosts, 5s);
    REQUIRE(key.has_value());
    CHECK(key->state == HostKeyState::unknown);
    CHECK(key->known_hosts_line == fmt::format("[127.0.0.1]:{} {}", sshd.port(),
                                               output_of("cut -d' ' -f1,2 " +
                                                         LoopbackSshd::quote((sshd.dir() / "host_key.pub").string()))));
  }
  SECTION("a missing known_hosts file is refused as the untrusted file it is") {
    settings.known_hosts = scratch.path() / "no_such_file";
    auto c = Connection::open(host_of(sshd), settings);
    REQUIRE_FALSE(c.has_value());
    CHECK_THAT(c.error().message, Catch::Contains("no_such_file"));
  }
  SECTION("a changed key is refused, naming both fingerprints") {
    std::filesystem::path other = scratch.path() / "other_host_key";
    new_key(other);
    settings.known_hosts = scratch.path() / "changed_known_hosts";
    spit(settings.known_hosts, fmt::format("[127.0.0.1]:{} {}\n", sshd.port(),
                                           output_of("cut -d' ' -f1,2 " +
                                                     LoopbackSshd::quote(other.string() + ".pub"))));
    auto c = Connection::open(host_of(sshd), settings);
    REQUIRE_FALSE(c.has_value());
    CHECK_THAT(c.error().message, Catch::Contains("CHANGED") && Catch::Contains(fingerprint) &&
                                      Catch::Contains(fingerprint_of(other.string() + ".pub")));
    auto key = probe_host_key(host_of(sshd), settings.known_hosts, 5s);
    REQUIRE(key.has_value());
    CHECK(key->state == HostKeyState::changed);
  }
  SECTION("an identity the host does not accept is refused") {
    settings.identity = scratch.path() / "stranger";
    new_key(settings.identity);
    auto c = Connection::open(host_of(sshd), settings);
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().code == ErrorCode::config);
    CHECK_THAT(c.error().message, Catch::Contains("refused identity") && Catch::Contains("stranger"));
  }
  SECTION("an identity readable by others is refused before connecting") {
    settings.identity = scratch.path() / "open_key";
    std::filesystem::copy_file(sshd.client_key(), settings.identity);
    REQUIRE(::chmod(settings.identity.c_str(), 0644) == 0);
    auto c = Connection::open(host_of(sshd), settings);
    REQUIRE_FALSE(c.has_value());
    CHECK_THAT(c.error().message, Catch::Contains("readable by group or others") && Catch::Contains("chmod 600"));
  }
}

TEST_CASE("ssh Connection gives up on a host that accepts and then hangs") {
  LoopbackSshd sshd;  // its own: this test stops it
  if (skipped(sshd)) return;
  SshSettings settings = settings_of(sshd);
  settings.connect_timeout = 1s;
  sshd.stop();
  auto start = std::chrono::steady_clock::now();
  auto c = Connection::open(host_of(sshd), settings);
  auto waited = std::chrono::steady_clock::now() - start;
  sshd.resume();
  REQUIRE_FALSE(c.has_value());
  CHECK(c.error().code == ErrorCode::io);  // unreachable, which max_unavailable may tolerate
  CHECK_THAT(c.error().message, Catch::Contains(fmt::format("127.0.0.1:{}", sshd.port())));
  CHECK(waited < 4s);
}

TEST_CASE("ssh Connection bounds every wait when an open connection stops answering") {
  LoopbackSshd sshd;  // its own: this test stops its sessions
  if (skipped(sshd)) return;
  SshSettings settings = settings_of(sshd);
  settings.connect_timeout = 1s;
  auto c = Connection::open(host_of(sshd), settings);
  REQUIRE(c.has_value());
  auto sftp = c->sftp();
  REQUIRE(sftp.has_value());
  sshd.signal_sessions(SIGSTOP);
  auto start = std::chrono::steady_clock::now();
  Run r = run(*c, {{"true"}, {}, {}, 3s});
  CHECK_FALSE(r.result.ok());
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  start = std::chrono::steady_clock::now();
  CHECK_FALSE((*sftp)->read_file("/etc/hostname", 100).has_value());
  CHECK(std::chrono::steady_clock::now() - start < 4s);
  sshd.signal_sessions(SIGCONT);
}

TEST_CASE("ssh Connection refuses a port nobody listens on, naming the host") {
  const LoopbackSshd* shared = shared_sshd();
  if (!shared) return;
  const LoopbackSshd& sshd = *shared;
  TempDir scratch;
  HostSpec host = host_of(sshd);
  host.port = 1;  // privileged and unused on a test machine
  auto c = Connection::open(host, settings_of(sshd));
  REQUIRE_FALSE(c.has_value());
  CHECK(c.error().code == ErrorCode::io);
  CHECK_THAT(c.error().message, Catch::Contains("127.0.0.1:1: cannot connect"));
}

namespace {

// `text` as a command's input, then `failure` if not empty.
class StringInput : public CommandInput {
 public:
  explicit StringInput(std::string text, std::string failure = "") : m_text(std::move(text)), m_failure(std::move(failure)) {}
  Expected<std::size_t> read(char* buffer, std::size_t size) override {
    std::size_t n = std::min(size, m_text.size() - m_at);
    if (n == 0 && !m_failure.empty()) return Error{ErrorCode::io, m_failure};
    std::memcpy(buffer, m_text.data() + m_at, n);
    m_at += n;
    return n;
  }

 private:
  std::string m_text, m_failure;
  std::size_t m_at = 0;
};

}  // namespace

TEST_CASE("ssh Connection sends its input to a command's stdin") {
  const LoopbackSshd* shared = shared_sshd();
  if (!shared) return;
  const LoopbackSshd& sshd = *shared;
  TempDir scratch;
  auto c = Connection::open(host_of(sshd), settings_of(sshd));
  REQUIRE(c.has_value());
  // Larger than the channel's window, so the writer waits for the host to read.
  std::string big;
  for (int i = 0; big.size() < 5'000'000; ++i) big += fmt::format("line {}\n", i);
  StringInput input(big);
  std::filesystem::path copy = scratch.path() / "copy";
  std::vector<std::string> lines;
  LineSink sink = [&](std::string_view line) { lines.emplace_back(line); };
  ProcessResult r = c->run({{"sh", "-c", "cat > \"$0\"; echo done", copy.string()}, {}, {}, 30s}, sink, input);
  INFO(r.describe());
  REQUIRE(r.ok());
  CHECK(slurp(copy) == big);
  // The last line: the account's rc files may print before (root's pyenv here, racing other shells).
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.back() == "done");

  SECTION("a command that ends without reading fails with its own status and words") {
    StringInput again(big);
    ProcessResult early = c->run({{"sh", "-c", "echo no thanks >&2; exit 3"}, {}, {}, 30s}, sink, again);
    INFO(early.describe());
    CHECK(early.exit_code == 3);
    CHECK(lines.back() == "no thanks");
  }
  SECTION("one that ends well without reading all of it fails too") {
    StringInput again(big);
    ProcessResult early = c->run({{"true"}, {}, {}, 30s}, sink, again);
    CHECK_FALSE(early.ok());
    CHECK_THAT(early.error, Catch::Contains("ended before it read all its input"));
  }
  SECTION("an input that fails half-way fails the run, saying why") {
    StringInput failing("half\n", "the archive could not be written");
    ProcessResult cut = c->run({{"sh", "-c", "cat >/dev/null"}, {}, {}, 30s}, sink, failing);
    CHECK_FALSE(cut.ok());
    CHECK_THAT(cut.error, Catch::Contains("its input: the archive could not be written"));
  }
}

TEST_CASE("ssh SftpClient reads files, folders and links on the host") {
  const LoopbackSshd* shared = shared_sshd();
  if (!shared) return;
  const LoopbackSshd& sshd = *shared;
  TempDir scratch;
  auto c = Connection::open(host_of(sshd), settings_of(sshd));
  REQUIRE(c.has_value());
  auto sftp = c->sftp();
  REQUIRE(sftp.has_value());
  SftpClient& f = **sftp;
  std::string root = (scratch.path() / "remote").string();
  std::filesystem::create_directories(root);
  std::string big(100'000, 'x');
  spit(root + "/big", big);
  std::filesystem::create_symlink("big", root + "/link");
  auto back = f.read_file(root + "/link", 1 << 20);
  REQUIRE(back.has_value());
  CHECK(*back == big);
  CHECK(f.read_link(root + "/link").value() == "big");
  auto names = f.list(root).value();
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"big", "link"});

  auto missing = f.read_file(root + "/missing", 10);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::input);
  CHECK_THAT(missing.error().message, Catch::Contains(root + "/missing"));
  CHECK_FALSE(f.read_file(root + "/big", 10).has_value());  // larger than asked
  REQUIRE(f.remove(root + "/link").has_value());
  CHECK_FALSE(std::filesystem::is_symlink(std::filesystem::symlink_status(root + "/link")));
}
