#include "core/git/git.hpp"

#include <fmt/format.h>

namespace pushgate::git {

namespace {

std::string last_message() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

}  // namespace

Error git_failure(std::string_view what) {
  return {ErrorCode::git, fmt::format("{}: {}", what, last_message())};
}

Library::Library() { git_libgit2_init(); }
Library::~Library() { git_libgit2_shutdown(); }

int check(int rc, std::string_view what) {
  if (rc < 0) throw Failure(git_failure(what));
  return rc;
}

RepositoryPtr open_from_environment() {
  git_repository* raw = nullptr;
  check(git_repository_open_ext(&raw, nullptr, GIT_REPOSITORY_OPEN_FROM_ENV, nullptr),
        "cannot open the repository named by GIT_DIR");
  return RepositoryPtr(raw);
}

Expected<RepositoryPtr> open(const std::string& path) {
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0)
    return git_failure(fmt::format("cannot open repository '{}'", path));
  return RepositoryPtr(raw);
}

std::string git_dir(git_repository* repo) { return git_repository_path(repo); }

Expected<git_oid> parse_oid(std::string_view hex) {
  git_oid oid;
  if (hex.size() != GIT_OID_HEXSZ || git_oid_fromstrn(&oid, hex.data(), hex.size()) < 0)
    return Error{ErrorCode::input, fmt::format("'{}' is not an object id", hex)};
  return oid;
}

std::string to_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

Expected<TreePtr> tree_of_revision(git_repository* repo, const std::string& rev) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, (rev + "^{tree}").c_str()) < 0)
    return git_failure(fmt::format("cannot resolve '{}' to a tree", rev));
  return TreePtr(reinterpret_cast<git_tree*>(raw));
}

Expected<TreePtr> tree_of_commit(git_repository* repo, const git_oid& oid) {
  git_commit* commit = nullptr;
  if (git_commit_lookup(&commit, repo, &oid) < 0)
    return git_failure(fmt::format("cannot read commit {}", to_hex(oid)));
  CommitPtr owner(commit);
  git_tree* tree = nullptr;
  if (git_commit_tree(&tree, commit) < 0)
    return git_failure(fmt::format("cannot read the tree of commit {}", to_hex(oid)));
  return TreePtr(tree);
}

}  // namespace pushgate::git
