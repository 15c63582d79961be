#include "core/util/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/process/args.hpp>
#include <boost/process/async_pipe.hpp>
#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <thread>

namespace pushgate {

namespace bp = boost::process;
namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

// Grace between SIGTERM and SIGKILL when a command runs out of time.
constexpr milliseconds k_kill_grace{2'000};
// A line longer than this is passed on in pieces, so a child writing without
// newlines cannot grow the daemon's memory.
constexpr std::size_t k_max_line = 64 * 1024;
constexpr const char* k_default_path = "/usr/local/bin:/usr/bin:/bin";

std::string format_duration(milliseconds d) {
  auto ms = d.count();
  if (ms < 1000) return fmt::format("{}ms", ms);
  if (ms % 60'000 == 0) return fmt::format("{}m", ms / 60'000);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000);
}

// The child's complete environment: a few variables of the daemon that
// programs expect, then the spec's, later names replacing earlier ones.
std::vector<std::string> child_environment(const ProcessSpec& spec) {
  std::vector<std::pair<std::string, std::string>> vars;
  auto set = [&](const std::string& name, const std::string& value) {
    auto it = std::find_if(vars.begin(), vars.end(), [&](const auto& v) { return v.first == name; });
    if (it != vars.end()) it->second = value;
    else vars.emplace_back(name, value);
  };
  for (const char* name : {"PATH", "HOME", "LANG", "USER"})
    if (const char* value = std::getenv(name)) set(name, value);
  if (std::getenv("PATH") == nullptr) set("PATH", k_default_path);
  for (const auto& [name, value] : spec.env) set(name, value);
  std::vector<std::string> out;
  for (const auto& [name, value] : vars) out.push_back(name + "=" + value);
  return out;
}

std::string variable(const std::vector<std::string>& environment, std::string_view name) {
  for (const auto& entry : environment)
    if (entry.size() > name.size() && entry.starts_with(name) && entry[name.size()] == '=')
      return entry.substr(name.size() + 1);
  return "";
}

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// argv[0] as execve needs it: looked up in the child's PATH (not the
// daemon's) when it has no '/'.
std::optional<std::string> find_program(const std::string& name, const std::string& path) {
  if (name.find('/') != std::string::npos) return name;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = path.find(':', begin);
    if (end == std::string::npos) end = path.size();
    std::string folder = path.substr(begin, end - begin);
    std::string candidate = (folder.empty() ? std::string(".") : folder) + "/" + name;
    if (is_executable_file(candidate)) return candidate;
    begin = end + 1;
  }
  return std::nullopt;
}

// What happens in the child between fork and exec, and in the parent around
// it. Only async-signal-safe calls run in the child: the daemon is threaded.
struct ChildSetup : bp::extend::handler {
  char** envp;
  const char* cwd;  // nullptr: the daemon's

  template <class Executor>
  void on_setup(Executor& exec) const {
    exec.env = envp;
  }

  template <class Executor>
  void on_exec_setup(Executor&) const {
    // Its own group, so a timeout can stop everything it started.
    ::setpgid(0, 0);
    // A blocked or ignored signal survives exec; the daemon blocks and
    // ignores some for itself, which the command must not inherit.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) ::signal(s, SIG_DFL);
    // The working folder was checked before the fork, so this only fails in
    // a race; exiting keeps Boost from reporting an error for a child that
    // would still run.
    if (cwd != nullptr && ::chdir(cwd) != 0) ::_exit(127);
    // Descriptors the daemon opens without O_CLOEXEC (other children's
    // pipes among them) must not leak: a leaked pipe end keeps another
    // command's output open after it has exited.
    if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
      long max = ::sysconf(_SC_OPEN_MAX);
      for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
  }

  template <class Executor>
  void on_success(Executor& exec) const {
    // Also from the parent, so the group exists before any kill(-pid).
    ::setpgid(exec.pid, exec.pid);
  }

  template <class Executor>
  void on_error(Executor& exec, const std::error_code&) const {
    // Boost forgets a child whose exec failed; reap it here.
    if (exec.pid > 0) ::waitpid(exec.pid, nullptr, 0);
  }
};

// Splits one stream into lines for the sink.
class LineSplitter {
 public:
  // `raw`: pieces go to the sink as they come, newlines and all.
  LineSplitter(const LineSink& sink, bool raw) : m_sink(sink), m_raw(raw) {}
  void feed(std::string_view data) {
    if (m_raw) {
      if (m_sink && !data.empty()) m_sink(data);
      return;
    }
    for (char c : data) {
      if (c == '\n') {
        flush();
        continue;
      }
      m_line.push_back(c);
      if (m_line.size() >= k_max_line) flush();
    }
  }
  void finish() {
    if (!m_line.empty()) flush();
  }

 private:
  void flush() {
    if (!m_line.empty() && m_line.back() == '\r') m_line.pop_back();
    if (m_sink) m_sink(m_line);
    m_line.clear();
  }
  const LineSink& m_sink;
  bool m_raw;
  std::string m_line;
};

// One running child: its pipes, its deadline and its reaper thread, all
// driven from the caller's thread by one io_context.
class Supervisor {
 public:
  // `input` is the command's standard input.
  Supervisor(const ProcessSpec& spec, std::string input, const LineSink& output)
      : m_spec(spec), m_input(std::move(input)), m_output(output), m_out(m_io), m_err(m_io), m_deadline(m_io),
        m_grace(m_io), m_out_lines(output, spec.raw_output),
        m_err_lines(spec.error_output ? spec.error_output : output, false) {}

  ProcessResult run(const std::string& program) {
    std::vector<std::string> environment = child_environment(m_spec);
    std::vector<char*> envp;
    for (auto& entry : environment) envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::vector<std::string> args(m_spec.argv.begin() + 1, m_spec.argv.end());
    std::string cwd = m_spec.cwd.string();

    auto start = std::chrono::steady_clock::now();
    std::error_code ec;
    bp::child child(bp::exe(program), bp::args(args), bp::std_in < m_input, bp::std_out > m_out,
                    bp::std_err > m_err, ChildSetup{{}, envp.data(), cwd.empty() ? nullptr : cwd.c_str()},
                    ec);
    ProcessResult result;
    if (ec) {
      result.error = fmt::format("cannot run '{}': {}", m_spec.argv[0], ec.message());
      return result;
    }
    m_pid = child.id();
    child.detach();  // reaped below, with the raw status
    // Keeps run() going until the reaper has reported, whatever the pipes do.
    m_waiting_for_exit.emplace(m_io.get_executor());

    std::thread reaper([this] {
      int status = 0;
      pid_t rc;
      while ((rc = ::waitpid(m_pid, &status, 0)) < 0 && errno == EINTR) {
      }
      int error = rc < 0 ? errno : 0;
      asio::post(m_io, [this, status, error] { on_exit(status, error); });
    });
    read(m_out, m_out_buffer, m_out_lines);
    read(m_err, m_err_buffer, m_err_lines);
    m_deadline.expires_after(m_spec.timeout);
    m_deadline.async_wait([this](const boost::system::error_code& e) {
      if (!e) on_deadline();
    });
    try {
      m_io.run();
    } catch (...) {
      // The sink threw: stop the command, so the reaper can end, and pass it on.
      ::kill(-m_pid, SIGKILL);
      reaper.join();
      throw;
    }
    reaper.join();

    if (m_wait_error != 0) {
      // Only when the daemon lets the kernel reap children (SIGCHLD ignored).
      result.error = fmt::format("cannot learn how '{}' ended: {}", m_spec.argv[0], std::strerror(m_wait_error));
      return result;
    }
    result.timed_out = m_timed_out;
    auto ran = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    result.elapsed = m_timed_out ? m_spec.timeout : ran;
    if (WIFEXITED(m_status)) result.exit_code = WEXITSTATUS(m_status);
    if (WIFSIGNALED(m_status)) result.signal = WTERMSIG(m_status);
    return result;
  }

 private:
  void read(bp::async_pipe& pipe, std::array<char, 4096>& buffer, LineSplitter& lines) {
    pipe.async_read_some(asio::buffer(buffer), [this, &pipe, &buffer, &lines](
                                                   const boost::system::error_code& e, std::size_t n) {
      lines.feed(std::string_view(buffer.data(), n));
      if (!e) return read(pipe, buffer, lines);
      lines.finish();
      ++m_closed;
      finish_if_done();
    });
  }

  void on_exit(int status, int wait_error) {
    m_status = status;
    m_wait_error = wait_error;
    m_exited = true;
    m_waiting_for_exit.reset();
    finish_if_done();
  }

  void on_deadline() {
    m_timed_out = true;
    if (m_exited && m_output)
      m_output(fmt::format("pushgate: '{}' exited, but processes it started kept its output open "
                           "until the timeout ({}); stopping them",
                           m_spec.argv[0], format_duration(m_spec.timeout)));
    ::kill(-m_pid, SIGTERM);
    m_grace.expires_after(k_kill_grace);
    m_grace.async_wait([this](const boost::system::error_code& e) {
      if (e) return;
      ::kill(-m_pid, SIGKILL);
      // A process that left the group may still hold the pipes: stop
      // reading rather than wait for it.
      boost::system::error_code ignored;
      m_out.close(ignored);
      m_err.close(ignored);
    });
  }

  void finish_if_done() {
    if (!m_exited || m_closed < 2) return;
    m_deadline.cancel();
    m_grace.cancel();
  }

  const ProcessSpec& m_spec;
  std::string m_input;
  const LineSink& m_output;
  asio::io_context m_io;
  bp::async_pipe m_out;
  bp::async_pipe m_err;
  asio::steady_timer m_deadline;
  asio::steady_timer m_grace;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> m_waiting_for_exit;
  std::array<char, 4096> m_out_buffer{};
  std::array<char, 4096> m_err_buffer{};
  LineSplitter m_out_lines;
  LineSplitter m_err_lines;
  pid_t m_pid = -1;
  int m_status = 0;
  int m_wait_error = 0;
  bool m_exited = false;
  int m_closed = 0;
  bool m_timed_out = false;
};

}  // namespace

std::string ProcessResult::describe() const {
  if (!error.empty()) return error;
  if (timed_out) return fmt::format("timed out after {}", format_duration(elapsed));
  if (signal != 0) return fmt::format("killed by signal {} ({})", signal, ::strsignal(signal));
  return fmt::format("exit status {}", exit_code);
}

ProcessResult ProcessRunner::run_with_input(const ProcessSpec& spec, const std::filesystem::path&,
                                            const LineSink&) {
  ProcessResult result;
  result.error = fmt::format("cannot run '{}' with input: this runner gives none", spec.argv.empty() ? "" : spec.argv[0]);
  return result;
}

ProcessResult SystemProcessRunner::run(const ProcessSpec& spec, const LineSink& output) {
  return run_with_input(spec, "/dev/null", output);
}

ProcessResult SystemProcessRunner::run_with_input(const ProcessSpec& spec, const std::filesystem::path& input,
                                                  const LineSink& output) {
  ProcessResult result;
  if (spec.argv.empty() || spec.argv[0].empty()) {
    result.error = "cannot run an empty command";
    return result;
  }
  std::error_code ec;
  if (!spec.cwd.empty() && !std::filesystem::is_directory(spec.cwd, ec)) {
    result.error = fmt::format("cannot run '{}': working folder '{}' does not exist", spec.argv[0],
                               spec.cwd.string());
    return result;
  }
  std::string path = variable(child_environment(spec), "PATH");
  auto program = find_program(spec.argv[0], path);
  if (!program) {
    result.error = fmt::format("cannot run '{}': not found in PATH ({})", spec.argv[0], path);
    return result;
  }
  try {
    return Supervisor(spec, input.string(), output).run(*program);
  } catch (const std::exception& e) {
    // Boost throws for what the error_code does not cover (pipe creation).
    result.error = fmt::format("cannot run '{}': {}", spec.argv[0], e.what());
    return result;
  }
}

}  // namespace pushgate
