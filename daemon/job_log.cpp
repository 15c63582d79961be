#include "daemon/job_log.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/config/config_reader.hpp"
#include "core/util/error.hpp"
#include "core/jobs/spool_entry.hpp"
#include "core/util/terminal_text.hpp"
#include "core/util/write_all.hpp"

namespace pushgate::daemon {

JobLog::JobLog(std::filesystem::path file, LogBoard& board)
    : m_file(std::move(file)),
      m_board(board),
      m_fd(open_job_log(m_file)) {
  if (!m_fd)
    throw Failure(ErrorCode::io,
                  fmt::format("cannot open the job log '{}': {}", m_file.string(), std::strerror(errno)));
}

void JobLog::set_redact(Redact redact) {
  std::lock_guard lock(m_mutex);
  m_redact = std::move(redact);
}

std::string JobLog::redact(std::string_view text) const {
  std::lock_guard lock(m_mutex);
  return m_redact ? m_redact(text) : std::string(text);
}

void JobLog::write(std::string_view text) {
  {
    std::lock_guard lock(m_mutex);
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t nl = text.find('\n', start);
      std::string_view line = text.substr(start, nl == std::string_view::npos ? nl : nl - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      // Deploy commands print what the push brought: a control character
      // would reach every terminal that shows this log.
      out += escape_control(m_redact ? m_redact(line) : std::string(line));
      out += '\n';
      if (nl == std::string_view::npos || nl + 1 == text.size()) break;
      start = nl + 1;
    }
    // One write per call: a follower never reads half a line group, and
    // O_APPEND keeps lines whole even beside another writer.
    (void)write_all(m_fd.get(), out);  // a log that cannot be written loses lines, not the deploy
  }
  m_board.announce();
}

LineSink JobLog::sink() {
  return [this](std::string_view line) { write(line); };
}

std::string JobLog::contents(std::size_t max_bytes) const {
  std::lock_guard lock(m_mutex);
  auto text = read_file(m_file.string());
  if (!text) return fmt::format("(the log could not be read: {})\n", text.error().message);
  if (text->size() <= max_bytes) return std::move(*text);
  std::size_t cut = text->size() - max_bytes;
  std::size_t nl = text->find('\n', cut);
  cut = nl == std::string::npos ? cut : nl + 1;
  return fmt::format("[{} bytes of earlier log left out]\n", cut) + text->substr(cut);
}

}  // namespace pushgate::daemon
