#include "deployers/ssh/release_archive.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "core/util/read_full.hpp"
#include "core/util/unique_fd.hpp"
#include "core/util/write_all.hpp"

namespace pushgate::ssh {

namespace {

constexpr std::size_t k_block = 512;
constexpr std::size_t k_name_field = 100;
// Bytes gathered before a write(2).
constexpr std::size_t k_flush_at = 1u << 20;

using Block = std::array<char, k_block>;

// A numeric header field of `width` bytes: octal with a NUL when it fits,
// else GNU's base-256 (the first byte's top bit set).
void put_number(char* field, std::size_t width, std::uint64_t value) {
  if (value < (std::uint64_t{1} << (3 * (width - 1)))) {
    fmt::format_to_n(field, width - 1, "{:0{}o}", value, width - 1);
    return;
  }
  for (std::size_t i = width; i-- > 1; value >>= 8) field[i] = static_cast<char>(value & 0xff);
  field[0] = static_cast<char>(0x80);
}

// One header: `name` and `link` cut to their fields (a long-name record
// before it carries them whole).
Block header(std::string_view name, char type, unsigned mode, std::uint64_t size, std::string_view link = {}) {
  Block b{};
  std::memcpy(b.data(), name.data(), std::min(name.size(), k_name_field));
  put_number(&b[100], 8, mode);
  put_number(&b[108], 8, 0);     // uid
  put_number(&b[116], 8, 0);     // gid
  put_number(&b[124], 12, size);
  put_number(&b[136], 12, 0);    // mtime
  b[156] = type;
  std::memcpy(&b[157], link.data(), std::min(link.size(), k_name_field));
  std::memcpy(&b[257], "ustar  ", 8);  // GNU magic and version
  std::memset(&b[148], ' ', 8);
  unsigned sum = 0;
  for (char c : b) sum += static_cast<unsigned char>(c);
  fmt::format_to_n(&b[148], 7, "{:06o}", sum);
  b[154] = '\0';
  return b;
}

class ArchiveWriter {
 public:
  ArchiveWriter(UniqueFd fd, std::filesystem::path path) : m_fd(std::move(fd)), m_path(std::move(path)) {}

  // A GNU long-name ('L') or long-link ('K') record when `value` does not
  // fit its header field.
  Expected<bool> long_record(char type, std::string_view value) {
    if (value.size() < k_name_field) return true;
    m_buffer.append(header("././@LongLink", type, 0644, value.size() + 1).data(), k_block);
    m_buffer.append(value);
    m_buffer.push_back('\0');
    return pad(value.size() + 1);
  }
  Expected<bool> append(const Block& block) {
    m_buffer.append(block.data(), block.size());
    return flush_if_full();
  }
  // Pads content of `size` bytes to a whole block.
  Expected<bool> pad(std::uint64_t size) {
    m_buffer.append((k_block - size % k_block) % k_block, '\0');
    return flush_if_full();
  }
  // Appends `size` bytes of `fd`, which must have them.
  Expected<bool> copy(int fd, std::uint64_t size, const std::filesystem::path& from) {
    for (std::uint64_t left = size; left > 0;) {
      std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(left, k_flush_at));
      std::size_t at = m_buffer.size();
      m_buffer.resize(at + chunk);
      ssize_t n = read_full(fd, m_buffer.data() + at, chunk);
      if (n != static_cast<ssize_t>(chunk))
        return Error{ErrorCode::io, fmt::format("cannot read staged file '{}': {}", from.string(),
                                                n < 0 ? std::strerror(errno) : "it got shorter")};
      left -= chunk;
      if (auto flushed = flush_if_full(); !flushed) return flushed;
    }
    return pad(size);
  }
  // Two zero blocks end the archive; then the file is complete.
  Expected<std::uint64_t> finish() {
    m_buffer.append(2 * k_block, '\0');
    if (auto flushed = flush(); !flushed) return flushed.error();
    return m_written;
  }

 private:
  Expected<bool> flush_if_full() { return m_buffer.size() >= k_flush_at ? flush() : Expected<bool>(true); }
  Expected<bool> flush() {
    if (!write_all(m_fd.get(), m_buffer)) return write_error();
    m_written += m_buffer.size();
    m_buffer.clear();
    return true;
  }
  Error write_error() const {
    return {ErrorCode::io, fmt::format("cannot write '{}': {}", m_path.string(), std::strerror(errno))};
  }

  UniqueFd m_fd;
  std::filesystem::path m_path;
  std::string m_buffer;
  std::uint64_t m_written = 0;
};

Expected<bool> add_entry(ArchiveWriter& out, const std::filesystem::path& staged, const ManifestEntry& entry,
                         ArchiveSize& size) {
  if (!safe_relative_path(entry.path))
    return Error{ErrorCode::input, fmt::format("refusing to archive '{}': not a path inside the release", entry.path)};
  std::filesystem::path local = staged / entry.path;
  auto wrong_kind = [&] {
    return Error{ErrorCode::io, fmt::format("staged entry '{}' is missing or not a {}", local.string(),
                                            entry.mode == 040000 ? "folder" : entry.mode == 0120000 ? "symlink" : "file")};
  };
  ++size.entries;
  if (entry.mode == 040000) {
    std::string name = entry.path + "/";
    if (auto put = out.long_record('L', name); !put) return put;
    return out.append(header(name, '5', 0777, 0));
  }
  if (entry.mode == 0120000) {
    std::error_code ec;
    std::string target = std::filesystem::read_symlink(local, ec).string();
    if (ec) return wrong_kind();
    ++size.files;
    if (auto put = out.long_record('K', target); !put) return put;
    if (auto put = out.long_record('L', entry.path); !put) return put;
    return out.append(header(entry.path, '2', 0777, 0, target));
  }
  UniqueFd fd(::open(local.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return wrong_kind();
  auto bytes = static_cast<std::uint64_t>(st.st_size);
  ++size.files;
  size.content += bytes;
  if (auto put = out.long_record('L', entry.path); !put) return put;
  if (auto put = out.append(header(entry.path, '0', entry.mode == 0100755 ? 0777 : 0666, bytes)); !put) return put;
  return out.copy(fd.get(), bytes, local);
}

}  // namespace

bool safe_relative_path(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = std::min(path.find('/', begin), path.size());
    std::string_view part = path.substr(begin, end - begin);
    if (part.empty() || part == "." || part == "..") return false;
    begin = end + 1;
  }
  return true;
}

Expected<ArchiveSize> write_release_archive(const std::filesystem::path& staged, const Manifest& entries,
                                            const std::filesystem::path& archive) {
  UniqueFd fd(::open(archive.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd)
    return Error{ErrorCode::io, fmt::format("cannot create '{}': {}", archive.string(), std::strerror(errno))};
  ArchiveWriter out(std::move(fd), archive);
  ArchiveSize size;
  auto fail = [&](Error e) -> Expected<ArchiveSize> {
    std::error_code ec;
    std::filesystem::remove(archive, ec);
    return e;
  };
  for (const auto& entry : entries)
    if (auto added = add_entry(out, staged, entry, size); !added) return fail(added.error());
  auto written = out.finish();
  if (!written) return fail(written.error());
  size.archive = *written;
  return size;
}

}  // namespace pushgate::ssh
