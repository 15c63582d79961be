#include "core/util/read_bounded.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "core/util/read_full.hpp"
#include "core/util/unique_fd.hpp"

namespace pushgate {

Expected<BoundedRead> read_bounded(const std::string& path, std::uint64_t limit) {
  auto failed = [&] { return Error{ErrorCode::io, fmt::format("cannot read '{}': {}", path, std::strerror(errno))}; };
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return failed();
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return failed();
  auto size = static_cast<std::uint64_t>(std::max<off_t>(st.st_size, 0));
  if (size > limit) return BoundedRead{size, std::nullopt};
  // The most ever held: one byte past the limit tells that the file went over it.
  std::uint64_t most = std::min<std::uint64_t>(limit, std::numeric_limits<std::size_t>::max() - 1) + 1;
  // A byte more than the size, so the read that fills the rest finds the end.
  std::string text(std::min<std::uint64_t>((size > 0 ? size : 4096) + 1, most), '\0');
  std::size_t used = 0;
  while (true) {
    ssize_t n = read_full(fd.get(), text.data() + used, text.size() - used);
    if (n < 0) return failed();
    used += static_cast<std::size_t>(n);
    if (used < text.size()) break;
    if (used > limit) return BoundedRead{std::max<std::uint64_t>(size, used), std::nullopt};
    text.resize(std::min<std::uint64_t>(text.size() * 2, most));
  }
  text.resize(used);
  return BoundedRead{used, std::move(text)};
}

}  // namespace pushgate
