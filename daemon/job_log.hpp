#pragma once
// A job's log: SPOOL/logs/<id>.log, appended one whole line at a time with
// secrets replaced, so `pushgate log --follow` and `git push -o pushgate.wait`
// can stream it while the deploy runs, and the deploy-log note can keep it.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "core/util/process.hpp"
#include "core/util/unique_fd.hpp"
#include "daemon/log_board.hpp"

namespace pushgate::daemon {

class JobLog {
 public:
  using Redact = std::function<std::string(std::string_view)>;

  // Opens `file` for appending (lines from an earlier, interrupted run stay).
  // Throws Failure (ErrorCode::io) when it cannot.
  JobLog(std::filesystem::path file, LogBoard& board);

  // From now on every line passes through `redact` before it is written.
  void set_redact(Redact redact);
  // `text` with secrets replaced, as write() would store it.
  std::string redact(std::string_view text) const;
  // Appends `text` as one or more lines, each redacted, then escaped
  // (core/util/terminal_text.hpp: no control character reaches the log, its
  // followers or the deploy-log note); safe from any thread. A failing
  // disk loses the line, never the deploy.
  void write(std::string_view text);
  // write() as the sink deployers and processes take.
  LineSink sink();
  // The log as written so far; when longer than `max_bytes`, its end, after
  // a line saying how much was left out.
  std::string contents(std::size_t max_bytes) const;

 private:
  std::filesystem::path m_file;
  LogBoard& m_board;
  mutable std::mutex m_mutex;
  UniqueFd m_fd;
  Redact m_redact;
};

}  // namespace pushgate::daemon
