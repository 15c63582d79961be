#include "core/pack_writer.hpp"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include <string>

namespace pushgate {

namespace {

// Above the disk backends, so writes land here: alternates never take writes.
constexpr int k_memory_priority = 1000;

}  // namespace

PackWriter::PackWriter(git_repository* repo) : m_repo(repo) {
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
  git_buf pack = GIT_BUF_INIT;
  git::check(git_packbuilder_write_buf(&pack, raw), "cannot pack the new objects");
  std::unique_ptr<git_buf, git::Deleter<git_buf, git_buf_dispose>> pack_owner(&pack);
  git_odb* target = nullptr;
  git::check(git_repository_odb(&target, m_repo), "cannot open the object database");
  git::OdbPtr target_owner(target);
  git_odb_writepack* writer = nullptr;
  git::check(git_odb_write_pack(&writer, target, nullptr, nullptr), "cannot write a pack");
  git_indexer_progress stats{};
  int rc = writer->append(writer, pack.ptr, pack.size, &stats);
  if (rc == 0) rc = writer->commit(writer, &stats);
  writer->free(writer);
  git::check(rc, "cannot write the pack of new objects");
  git::check(git_mempack_reset(m_memory), "cannot clear the in-memory object store");
}

}  // namespace pushgate
