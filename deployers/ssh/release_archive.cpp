#include "deployers/ssh/release_archive.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "core/git/git.hpp"
#include "core/util/unique_fd.hpp"
#include "core/util/write_all.hpp"
#include "deployers/blob_content.hpp"

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
  ArchiveWriter(UniqueFd fd, std::filesystem::path path, const ArchiveProgress& progress)
      : m_fd(std::move(fd)), m_path(std::move(path)), m_progress(progress) {}

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
  // Appends content that ends on a pad(size) once it is whole.
  Expected<bool> append(std::string_view bytes) {
    m_buffer.append(bytes);
    return flush_if_full();
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
    if (m_progress && !m_progress(m_written))
      return Error{ErrorCode::internal, fmt::format("writing '{}' was stopped", m_path.string())};
    return true;
  }
  Error write_error() const {
    return {ErrorCode::io, fmt::format("cannot write '{}': {}", m_path.string(), std::strerror(errno))};
  }

  UniqueFd m_fd;
  std::filesystem::path m_path;
  const ArchiveProgress& m_progress;
  std::string m_buffer;
  std::uint64_t m_written = 0;
};

Expected<bool> add_entry(ArchiveWriter& out, git_repository* repo, git_odb* odb, const ReleaseContent& release,
                         const ManifestEntry& entry, ArchiveSize& size) {
  if (!safe_relative_path(entry.path))
    return Error{ErrorCode::input, fmt::format("refusing to archive '{}': not a path inside the release", entry.path)};
  const ReleaseEntry* found = release.find(entry.path);
  if (!found || found->mode != entry.mode)
    return Error{ErrorCode::internal, fmt::format("'{}' is not in release {} as the archive wants it", entry.path,
                                                  release.tree.substr(0, 12))};
  ++size.entries;
  if (entry.mode == 040000) {
    std::string name = entry.path + "/";
    if (auto put = out.long_record('L', name); !put) return put;
    return out.append(header(name, '5', 0777, 0));
  }
  ++size.files;
  if (entry.mode == 0120000) {
    if (auto put = out.long_record('K', found->target); !put) return put;
    if (auto put = out.long_record('L', entry.path); !put) return put;
    return out.append(header(entry.path, '2', 0777, 0, found->target));
  }
  size.content += found->size;
  if (auto put = out.long_record('L', entry.path); !put) return put;
  if (auto put = out.append(header(entry.path, '0', entry.mode == 0100755 ? 0777 : 0666, found->size)); !put)
    return put;
  std::optional<Error> failed = copy_blob(repo, odb, found->id, found->size, entry.path,
                                          [&](std::string_view bytes) -> std::optional<Error> {
                                            if (auto put = out.append(bytes); !put) return put.error();
                                            return std::nullopt;
                                          });
  if (failed) return *failed;
  return out.pad(found->size);
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

Expected<ArchiveSize> write_release_archive(git_repository* repo, const ReleaseContent& release,
                                            const Manifest& entries, const std::filesystem::path& archive,
                                            const ArchiveProgress& progress) {
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) return git::git_failure("cannot open the object database");
  git::OdbPtr odb_owner(odb);
  UniqueFd fd(::open(archive.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd)
    return Error{ErrorCode::io, fmt::format("cannot create '{}': {}", archive.string(), std::strerror(errno))};
  ArchiveWriter out(std::move(fd), archive, progress);
  ArchiveSize size;
  auto fail = [&](Error e) -> Expected<ArchiveSize> {
    std::error_code ec;
    std::filesystem::remove(archive, ec);
    return e;
  };
  for (const auto& entry : entries)
    if (auto added = add_entry(out, repo, odb, release, entry, size); !added) return fail(added.error());
  auto written = out.finish();
  if (!written) return fail(written.error());
  size.archive = *written;
  return size;
}

class GrowingArchive::Reader : public CommandInput {
 public:
  explicit Reader(const GrowingArchive& archive) : m_archive(archive) {}
  Expected<std::size_t> read(char* buffer, std::size_t size) override {
    auto written = m_archive.written_beyond(m_offset);
    if (!written) return written.error();
    if (*written <= m_offset) return std::size_t{0};
    // Opened once bytes are there: the writer has made the file by then.
    if (!m_fd) m_fd = UniqueFd(::open(m_archive.m_path.c_str(), O_RDONLY | O_CLOEXEC));
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(size, *written - m_offset));
    ssize_t n = m_fd ? ::pread(m_fd.get(), buffer, want, static_cast<off_t>(m_offset)) : -1;
    if (n <= 0)
      return Error{ErrorCode::io, fmt::format("cannot read '{}': {}", m_archive.m_path.string(),
                                              n < 0 ? std::strerror(errno) : "it got shorter")};
    m_offset += static_cast<std::uint64_t>(n);
    return static_cast<std::size_t>(n);
  }

 private:
  const GrowingArchive& m_archive;
  UniqueFd m_fd;
  std::uint64_t m_offset = 0;
};

Expected<std::unique_ptr<GrowingArchive>> GrowingArchive::start(const std::string& git_dir,
                                                                const ReleaseContent& release, Manifest entries,
                                                                std::filesystem::path archive) {
  std::unique_ptr<GrowingArchive> out(new GrowingArchive(std::move(archive)));
  GrowingArchive* self = out.get();
  auto write = [self, git_dir, &release, entries = std::move(entries)] {
    auto progress = [self](std::uint64_t written) {
      std::lock_guard lock(self->m_mutex);
      self->m_written = written;
      self->m_changed.notify_all();
      return !self->m_stop;
    };
    Expected<ArchiveSize> result = Error{ErrorCode::internal, "not written"};
    try {
      auto repo = git::open(git_dir);
      result = repo ? write_release_archive(repo->get(), release, entries, self->m_path, progress)
                    : Expected<ArchiveSize>(repo.error());
    } catch (const std::exception& e) {  // out of memory: readers must not wait for ever
      result = Error{ErrorCode::internal, fmt::format("cannot write '{}': {}", self->m_path.string(), e.what())};
    }
    std::lock_guard lock(self->m_mutex);
    self->m_result = std::move(result);
    self->m_changed.notify_all();
  };
  try {
    self->m_thread = std::thread(std::move(write));
  } catch (const std::system_error& e) {
    return Error{ErrorCode::internal, fmt::format("cannot start a thread to write '{}': {}", self->m_path.string(), e.what())};
  }
  return out;
}

GrowingArchive::~GrowingArchive() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  if (m_thread.joinable()) m_thread.join();
}

std::unique_ptr<CommandInput> GrowingArchive::reader() const { return std::make_unique<Reader>(*this); }

Expected<std::uint64_t> GrowingArchive::written_beyond(std::uint64_t offset) const {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] { return m_written > offset || m_result.has_value(); });
  if (m_result && !*m_result) return m_result->error();
  return m_written;
}

Expected<ArchiveSize> GrowingArchive::size() const {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] { return m_result.has_value(); });
  return *m_result;
}

}  // namespace pushgate::ssh
