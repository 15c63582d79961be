#include "deployers/blob_content.hpp"

#include <fmt/format.h>

#include <memory>
#include <vector>

#include "core/git/git.hpp"

namespace pushgate {

namespace {

Error size_mismatch(const std::string& path, std::string_view how) {
  return {ErrorCode::input, fmt::format("refusing to deploy '{}': its object holds {} than its header says", path, how)};
}

}  // namespace

std::optional<Error> copy_blob(git_repository* repo, git_odb* odb, const git_oid& id, std::uint64_t size,
                               const std::string& path, const BlobSink& sink) {
  git_odb_stream* stream = nullptr;
  std::size_t len = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_open_rstream(&stream, &len, &type, odb, &id) == 0) {
    std::unique_ptr<git_odb_stream, git::Deleter<git_odb_stream, git_odb_stream_free>> owner(stream);
    std::vector<char> buffer(1 << 16);
    std::uint64_t copied = 0;
    for (;;) {
      int n = git_odb_stream_read(stream, buffer.data(), buffer.size());
      if (n < 0) return git::git_failure(fmt::format("cannot read '{}'", path));
      if (n == 0) break;
      copied += static_cast<std::uint64_t>(n);
      if (copied > size) return size_mismatch(path, "more");
      if (auto e = sink({buffer.data(), static_cast<std::size_t>(n)})) return e;
    }
    if (copied != size) return size_mismatch(path, "less");
    return std::nullopt;
  }
  git_error_clear();
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, repo, &id) < 0) return git::git_failure(fmt::format("cannot read '{}'", path));
  git::BlobPtr blob(raw);
  auto bytes = static_cast<std::uint64_t>(git_blob_rawsize(raw));
  if (bytes != size) return size_mismatch(path, bytes > size ? "more" : "less");
  return sink({static_cast<const char*>(git_blob_rawcontent(raw)), static_cast<std::size_t>(bytes)});
}

}  // namespace pushgate
