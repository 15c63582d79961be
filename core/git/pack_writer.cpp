#include "core/git/pack_writer.hpp"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace pushgate {

namespace {

// Above the disk backends, so writes land here: alternates never take writes.
constexpr int k_memory_priority = 1000;

}  // namespace

PackWriter::PackWriter(git_repository* repo, mode_t pack_mode) : m_repo(repo), m_pack_mode(pack_mode) {
  git_odb* odb = nullptr;
  git::check(git_odb_new(&odb), "cannot make an object database");
  m_odb.reset(odb);
  std::string objects = std::string(git_repository_commondir(repo)) + "objects";
  git::check(git_odb_add_disk_alternate(odb, objects.c_str()), "cannot read the repository's objects");
  git::check(git_mempack_new(&m_memory), "cannot make an in-memory object store");
  if (git_odb_add_backend(odb, m_memory, k_memory_priority) < 0) {
    m_memory->free(m_memory);
    m_memory = nullptr;
    git::check(-1, "cannot add the in-memory object store");
  }
  git_repository* view = nullptr;
  git::check(git_repository_wrap_odb(&view, odb), "cannot open the object database");
  m_view.reset(view);
}

PackWriter::~PackWriter() = default;

void PackWriter::flush(const std::vector<git_oid>& written) {
  git_packbuilder* raw = nullptr;
  git::check(git_packbuilder_new(&raw, m_view.get()), "cannot pack the new objects");
  std::unique_ptr<git_packbuilder, git::Deleter<git_packbuilder, git_packbuilder_free>> builder(raw);
  git_packbuilder_set_threads(raw, 1);
  for (const git_oid& id : written) git::check(git_packbuilder_insert(raw, &id, nullptr), "cannot pack a new object");
  std::string folder = std::string(git_repository_commondir(m_repo)) + "objects/pack";
  git::check(git_packbuilder_write(raw, folder.c_str(), m_pack_mode, nullptr, nullptr),
             "cannot write the pack of new objects");
  // The files were created through the umask; a tight one would hide them
  // from the group.
  for (const char* suffix : {".pack", ".idx"}) {
    std::string file = fmt::format("{}/pack-{}{}", folder, git_packbuilder_name(raw), suffix);
    if (::chmod(file.c_str(), m_pack_mode) < 0)
      throw Failure(ErrorCode::io, fmt::format("cannot set the mode of '{}': {}", file, std::strerror(errno)));
  }
  git::check(git_mempack_reset(m_memory), "cannot clear the in-memory object store");
}

}  // namespace pushgate
