#include "validators/tree/git_tree_source.hpp"

#include <fmt/format.h>

#include "core/git/git.hpp"

namespace pushgate {

GitTreeSource::GitTreeSource(git_repository* repo, std::vector<ManifestEntry> entries)
    : m_repo(repo), m_entries(std::move(entries)) {
  git_odb* raw = nullptr;
  git::check(git_repository_odb(&raw, repo), "cannot open the object database");
  m_odb.reset(raw);
}

Expected<std::string> GitTreeSource::read(const ManifestEntry& entry) const {
  auto oid = git::parse_oid(entry.key);
  if (!oid) return oid.error();
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, m_repo, &*oid) < 0) {
    return Error{ErrorCode::git, fmt::format("cannot read '{}' ({}): {}", entry.path, entry.key,
                                             git_error_last() ? git_error_last()->message : "")};
  }
  git::BlobPtr blob(raw);
  const char* data = static_cast<const char*>(git_blob_rawcontent(raw));
  return std::string(data, static_cast<std::size_t>(git_blob_rawsize(raw)));
}

std::uint64_t GitTreeSource::size(const ManifestEntry& entry) const {
  git_oid oid;
  size_t size = 0;
  git_object_t type;
  if (git_oid_fromstr(&oid, entry.key.c_str()) < 0 ||
      git_odb_read_header(&size, &type, m_odb.get(), &oid) < 0)
    return 0;
  return size;
}

}  // namespace pushgate
