#pragma once
// A blob's bytes handed on in pieces, for writing a release to a folder or
// into an archive: streamed from a loose object, read whole (at most the
// file cap) from a pack, which libgit2 cannot stream. A huge blob that
// compressed into a small push never sits in memory whole unless packed.

#include <git2.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/error.hpp"

namespace pushgate {

// Takes the next piece of a blob; an Error stops the copy.
using BlobSink = std::function<std::optional<Error>(std::string_view)>;

// Hands blob `id`, whose header says `size` bytes, to `sink`. Errors name
// `path` (the entry in the release): ErrorCode::git when the object cannot
// be read, ErrorCode::input when it holds more or fewer bytes than its
// header says; or what `sink` returned.
std::optional<Error> copy_blob(git_repository* repo, git_odb* odb, const git_oid& id, std::uint64_t size,
                               const std::string& path, const BlobSink& sink);

}  // namespace pushgate
