#include "validators/tree/tree_index_store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <system_error>

#include "core/git/git.hpp"
#include "core/util/mapped_file.hpp"
#include "core/git/shared_repository.hpp"
#include "core/util/unique_fd.hpp"
#include "core/util/write_all.hpp"

namespace pushgate {

namespace fs = std::filesystem;

namespace {

// Enough for the tips of the branches pushed lately; an index of a tree not
// kept is rebuilt from the nearest one that is.
constexpr std::size_t k_kept = 8;

bool write_whole(const std::string& file, std::string_view data) {
  UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd) return false;
  return write_all(fd.get(), data);
}

struct Saved {
  fs::file_time_type written;
  fs::path file;
};

// The index files of `dir`, newest first.
std::vector<Saved> saved_indexes(const std::string& dir) {
  std::vector<Saved> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!git::parse_oid(entry.path().filename().string())) continue;  // skips temporary files
    auto written = entry.last_write_time(ec);
    if (!ec) out.push_back({written, entry.path()});
  }
  std::sort(out.begin(), out.end(), [](const Saved& a, const Saved& b) { return a.written > b.written; });
  return out;
}

}  // namespace

TreeIndexStore::TreeIndexStore(std::string git_dir, std::string fingerprint, SharedRepository shared)
    : m_git_dir(std::move(git_dir)),
      m_dir(m_git_dir + "pushgate/trees"),
      m_fingerprint(std::move(fingerprint)),
      m_shared(shared) {}

std::optional<TreeIndex> TreeIndexStore::load(const git_oid& tree) const {
  // Mapped: index files are only ever renamed into place (save()).
  auto file = MappedFile::open(fmt::format("{}/{}", m_dir, git::to_hex(tree)));
  if (!file) return std::nullopt;
  return TreeIndex::parse(std::move(*file), m_fingerprint);
}

std::vector<git_oid> TreeIndexStore::recent() const {
  std::vector<git_oid> out;
  for (const Saved& s : saved_indexes(m_dir)) out.push_back(git::parse_oid(s.file.filename().string()).value());
  return out;
}

void TreeIndexStore::save(const git_oid& tree, const ObjectIndex& index) const {
  std::error_code ec;
  std::string target = fmt::format("{}/{}", m_dir, git::to_hex(tree));
  if (fs::exists(target, ec)) {
    // The same tree always yields the same index; it is only kept longer.
    fs::last_write_time(target, fs::file_time_type::clock::now(), ec);
    return;
  }
  if (!m_shared.make_folders(m_git_dir, "pushgate/trees")) return;
  // A name of its own per writer, so concurrent pushes never share a file.
  static std::atomic<unsigned> counter{0};
  std::string temp = fmt::format("{}.tmp.{}.{}", target, ::getpid(), counter++);
  if (!write_whole(temp, TreeIndex::serialize(m_fingerprint, index)) || !m_shared.adjust(temp) ||
      (fs::rename(temp, target, ec), ec)) {
    fs::remove(temp, ec);
    return;
  }
  std::vector<Saved> saved = saved_indexes(m_dir);
  for (std::size_t i = k_kept; i < saved.size(); ++i) fs::remove(saved[i].file, ec);
}

}  // namespace pushgate
