#pragma once
// Move-only owners for libgit2 handles and the repository opening rules of
// pushgate. Every libgit2 error becomes a Failure carrying git_error_last().

#include <git2.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/error.hpp"

namespace pushgate::git {

// Keeps libgit2 initialised for the lifetime of the object; create one in
// main() before any other libgit2 call.
class Library {
 public:
  Library();
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
};

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

using RepositoryPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using BlobPtr = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using DiffPtr = std::unique_ptr<git_diff, Deleter<git_diff, git_diff_free>>;
using OdbPtr = std::unique_ptr<git_odb, Deleter<git_odb, git_odb_free>>;
using OdbObjectPtr = std::unique_ptr<git_odb_object, Deleter<git_odb_object, git_odb_object_free>>;
using ReferencePtr = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using ConfigPtr = std::unique_ptr<git_config, Deleter<git_config, git_config_free>>;

// Throws Failure(ErrorCode::git) naming `what` and libgit2's last message
// when rc < 0; returns rc otherwise.
int check(int rc, std::string_view what);

// An Error (ErrorCode::git) saying `what` failed, with libgit2's last message.
Error git_failure(std::string_view what);

// Opens the repository the way a hook must: from GIT_DIR and, during
// pre-receive, the quarantine object directories git exposes in the
// environment. Throws Failure when there is no repository.
RepositoryPtr open_from_environment();

// Opens the repository at `path` (a bare repository or a work tree).
Expected<RepositoryPtr> open(const std::string& path);

// The repository's git directory (REPO.git/ for a bare one), with a trailing slash.
std::string git_dir(git_repository* repo);

// Parses a hex object id of either hash length libgit2 supports.
Expected<git_oid> parse_oid(std::string_view hex);

// The hex form of an object id.
std::string to_hex(const git_oid& oid);

// Resolves REV (anything git rev-parse accepts) to the tree of its commit.
Expected<TreePtr> tree_of_revision(git_repository* repo, const std::string& rev);

// The tree of the commit `oid`, or an error naming the commit.
Expected<TreePtr> tree_of_commit(git_repository* repo, const git_oid& oid);

}  // namespace pushgate::git
