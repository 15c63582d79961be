#pragma once
// A file's bytes mapped read-only into memory: no copy and no zeroed buffer,
// which for a file of a megabyte read on every push costs more than what is
// done with the bytes. Only for files that are replaced (renamed over) and
// never changed in place: a file cut short while mapped ends the process
// with SIGBUS when the lost part is read.

#include <optional>
#include <string>
#include <string_view>

namespace pushgate {

class MappedFile {
 public:
  // The whole of the regular file at `path`; nullopt when it cannot be
  // opened or mapped, or is no regular file. An empty file has no bytes.
  static std::optional<MappedFile> open(const std::string& path);

  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Valid while this object lives; moving it keeps them where they are.
  std::string_view bytes() const { return {m_data, m_size}; }

 private:
  MappedFile(const char* data, std::size_t size) : m_data(data), m_size(size) {}
  void unmap();

  const char* m_data = nullptr;
  std::size_t m_size = 0;
};

}  // namespace pushgate
