#include "core/jobs/spool_id.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/util/durable.hpp"
#include "core/util/error.hpp"
#include "core/jobs/spool_entry.hpp"
#include "core/util/unique_fd.hpp"
#include "core/util/write_all.hpp"

namespace pushgate {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_id_bytes = 16;

Failure io_failure(std::string_view what, const fs::path& path) {
  return Failure(ErrorCode::io, fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(errno)));
}

std::string random_id() {
  unsigned char bytes[k_id_bytes];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Failure(ErrorCode::io, fmt::format("cannot get random bytes: {}", std::strerror(errno)));
    got += static_cast<std::size_t>(n);
  }
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

bool is_id(std::string_view text) {
  return text.size() == 2 * k_id_bytes &&
         text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Publishes a fresh id unless one is there already.
void make_id(const fs::path& spool, const fs::path& file) {
  fs::path tmp = spool / "tmp" / fmt::format("id.{}.{}", ::getpid(), random_id().substr(0, 8));
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0664));
  if (!fd) throw io_failure("create", tmp);
  bool written = ::fchmod(fd.get(), 0664) == 0 && write_all(fd.get(), random_id() + "\n") && ::fsync(fd.get()) == 0;
  int linked = written ? ::link(tmp.c_str(), file.c_str()) : -1;
  int saved = errno;
  ::unlink(tmp.c_str());
  errno = saved;
  if (!written) throw io_failure("write", tmp);
  if (linked < 0 && errno != EEXIST) throw io_failure("create", file);
  if (linked == 0) (void)sync_dir(spool);
}

}  // namespace

std::string load_or_make_spool_id(const fs::path& spool) {
  fs::path file = spool / "id";
  SpoolEntry entry = read_spool_entry(file, 64);
  if (entry.state == SpoolEntry::State::gone) {
    make_id(spool, file);
    entry = read_spool_entry(file, 64);
  }
  std::string_view text = entry.text;
  if (text.ends_with('\n')) text.remove_suffix(1);
  if (entry.state == SpoolEntry::State::read && is_id(text)) return std::string(text);
  std::string why = entry.state == SpoolEntry::State::read ? "it does not hold 32 hex digits" : entry.why;
  throw Failure(ErrorCode::io, fmt::format("cannot use the spool id '{}': {}; remove it and a new one is made",
                                           file.string(), why));
}

}  // namespace pushgate
