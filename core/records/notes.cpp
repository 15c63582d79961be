#include "core/records/notes.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include <git2/sys/commit.h>

#include <filesystem>

#include "core/git/git.hpp"
#include "core/git/pack_writer.hpp"
#include "core/git/shared_repository.hpp"
#include "core/util/unique_fd.hpp"

namespace pushgate {

namespace {

using TreeBuilderPtr = std::unique_ptr<git_treebuilder, git::Deleter<git_treebuilder, git_treebuilder_free>>;
using SignaturePtr = std::unique_ptr<git_signature, git::Deleter<git_signature, git_signature_free>>;

constexpr int k_max_attempts = 20;
constexpr auto k_stale_lock_age = std::chrono::seconds(2);
constexpr unsigned k_max_backoff_us = 50'000;
constexpr const char* k_commit_message = "Notes added by pushgate\n";

// The notes commit a ref points to, and its tree; both null before the first note.
struct NotesTip {
  git::CommitPtr commit;
  git::TreePtr tree;
};

NotesTip read_tip(git_repository* repo, const std::string& ref) {
  git_oid oid;
  int rc = git_reference_name_to_id(&oid, repo, ref.c_str());
  if (rc == GIT_ENOTFOUND) return {};
  git::check(rc, "cannot read the ref");
  git_commit* commit = nullptr;
  git::check(git_commit_lookup(&commit, repo, &oid), "cannot read its commit");
  NotesTip tip{git::CommitPtr(commit), nullptr};
  git_tree* tree = nullptr;
  git::check(git_commit_tree(&tree, commit), "cannot read its tree");
  tip.tree.reset(tree);
  return tip;
}

git::TreePtr lookup_tree(git_repository* repo, const git_tree_entry* entry) {
  git_tree* tree = nullptr;
  git::check(git_tree_lookup(&tree, repo, git_tree_entry_id(entry)), "cannot read a notes subtree");
  return git::TreePtr(tree);
}

bool is_subtree(const git_tree_entry* entry) {
  return entry && git_tree_entry_type(entry) == GIT_OBJECT_TREE;
}

bool is_blob(const git_tree_entry* entry) {
  return entry && git_tree_entry_type(entry) == GIT_OBJECT_BLOB;
}

// git reads a note for object `hex` from any fan-out: the whole id at the top
// level (what `git notes add` writes while a ref is small), or its first two
// digits as a subtree holding the rest, and so on. Returns the note's blob id.
std::optional<git_oid> find_note(git_repository* repo, const git_tree* tree, std::string_view hex) {
  if (!tree) return std::nullopt;
  const git_tree_entry* note = git_tree_entry_byname(tree, std::string(hex).c_str());
  if (is_blob(note)) return *git_tree_entry_id(note);
  if (hex.size() <= 2) return std::nullopt;
  const git_tree_entry* fan = git_tree_entry_byname(tree, std::string(hex.substr(0, 2)).c_str());
  if (!is_subtree(fan)) return std::nullopt;
  return find_note(repo, lookup_tree(repo, fan).get(), hex.substr(2));
}

// Writes the tree that is `tree` (null: empty) with the note for `hex` set
// to `blob`. The note stays where it was found, so there is never a second
// copy; a new one goes under existing fan-out subtrees, or into a new 2/38
// subtree at the top, so a write rewrites a few small trees whatever the
// number of notes. Adds the ids of the trees it writes to `written`.
git_oid write_note(git_repository* repo, const git_tree* tree, std::string_view hex,
                   const git_oid& blob, bool top, std::vector<git_oid>& written) {
  git_treebuilder* raw = nullptr;
  git::check(git_treebuilder_new(&raw, repo, tree), "cannot build a notes tree");
  TreeBuilderPtr builder(raw);
  std::string whole(hex);
  std::string prefix(hex.substr(0, 2));
  const git_tree_entry* note = git_treebuilder_get(builder.get(), whole.c_str());
  const git_tree_entry* fan = git_treebuilder_get(builder.get(), prefix.c_str());
  if (is_blob(note) || (!is_subtree(fan) && !top)) {
    git::check(git_treebuilder_insert(nullptr, builder.get(), whole.c_str(), &blob, GIT_FILEMODE_BLOB),
               "cannot add a note");
  } else {
    git::TreePtr sub = is_subtree(fan) ? lookup_tree(repo, fan) : nullptr;
    git_oid sub_oid = write_note(repo, sub.get(), hex.substr(2), blob, false, written);
    git::check(git_treebuilder_insert(nullptr, builder.get(), prefix.c_str(), &sub_oid, GIT_FILEMODE_TREE),
               "cannot add a notes subtree");
  }
  git_oid out;
  git::check(git_treebuilder_write(&out, builder.get()), "cannot write a notes tree");
  written.push_back(out);
  return out;
}

std::string blob_text(git_repository* repo, const git_oid& oid) {
  git_blob* raw = nullptr;
  git::check(git_blob_lookup(&raw, repo, &oid), fmt::format("cannot read note blob {}", git::to_hex(oid)));
  git::BlobPtr blob(raw);
  return std::string(static_cast<const char*>(git_blob_rawcontent(raw)),
                     static_cast<std::size_t>(git_blob_rawsize(raw)));
}

// The repository's configured identity, as git notes would use it, else
// pushgate's own: a daemon's account rarely has user.name set.
SignaturePtr signature(git_repository* repo) {
  git_signature* raw = nullptr;
  if (git_signature_default(&raw, repo) < 0)
    git::check(git_signature_now(&raw, "pushgate", "pushgate@localhost"), "cannot make a signature");
  return SignaturePtr(raw);
}

enum class Attempt { done, moved, locked };

// One attempt: builds the notes commit on top of the ref's current tip and
// moves the ref only if it is still there; says why it did not. The new
// objects go into the repository as one pack (core/git/pack_writer.hpp) and the
// ref's folders get the repository's shared mode, so a group-shared
// repository stays writable for every member.
Attempt try_append(git_repository* repo, const SharedRepository& shared, const std::string& ref,
                   const git_oid& commit, std::string_view text) {
  NotesTip tip = read_tip(repo, ref);
  std::string hex = git::to_hex(commit);
  std::string note;
  if (auto old = find_note(repo, tip.tree.get(), hex)) note = blob_text(repo, *old);
  if (!note.empty() && !note.ends_with('\n')) note += '\n';
  note += text;

  PackWriter writer(repo, shared.adjusted(S_IFREG | 0444) & 07777);
  git_repository* objects = writer.objects();
  git_oid blob;
  git::check(git_blob_create_from_buffer(&blob, objects, note.data(), note.size()), "cannot write a note");
  std::vector<git_oid> written{blob};
  git_oid tree = write_note(objects, tip.tree.get(), hex, blob, true, written);
  const git_oid* parents[] = {tip.commit ? git_commit_id(tip.commit.get()) : nullptr};
  SignaturePtr who = signature(repo);
  git_oid new_commit;
  git::check(git_commit_create_from_ids(&new_commit, objects, nullptr, who.get(), who.get(), nullptr,
                                        k_commit_message, &tree, tip.commit ? 1 : 0, parents),
             "cannot write the notes commit");
  written.push_back(new_commit);
  writer.flush(written);

  std::string common = git_repository_commondir(repo);
  if (auto made = shared.make_folders(common, std::filesystem::path(ref).parent_path()); !made)
    throw Failure(made.error());
  git_reference* updated = nullptr;
  int rc = tip.commit ? git_reference_create_matching(&updated, repo, ref.c_str(), &new_commit, 1,
                                                      git_commit_id(tip.commit.get()), "notes: append")
                      : git_reference_create(&updated, repo, ref.c_str(), &new_commit, 0, "notes: append");
  git::ReferencePtr owner(updated);
  if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) return Attempt::moved;
  if (rc == GIT_ELOCKED) return Attempt::locked;
  git::check(rc, "cannot update the ref");
  shared.adjust(common + ref);
  // libgit2 writes a reflog when core.logAllRefUpdates asks for one.
  if (std::string log = common + "logs/" + ref; ::access(log.c_str(), F_OK) == 0) {
    (void)shared.make_folders(common, std::filesystem::path("logs/" + ref).parent_path());
    shared.adjust(log);
  }
  return Attempt::done;
}

// pushgate's own writers (hooks, CLI, daemon workers, in any process) take
// turns through a lock file beside the refs: otherwise a busy writer keeps
// winning the compare-and-swap and the others run out of attempts. The
// compare-and-swap still guards against every other program that moves the
// ref. Without a lock file (a read-only folder) it is the only guard.
UniqueFd lock_notes(git_repository* repo, const SharedRepository& shared) {
  std::string path = std::string(git_repository_commondir(repo)) + "pushgate-notes.lock";
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0664));
  if (fd) {
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && st.st_uid == ::geteuid()) shared.adjust(path);
    while (::flock(fd.get(), LOCK_EX) < 0 && errno == EINTR) {
    }
  }
  return fd;
}

// git holds a ref's .lock for milliseconds; one that is seconds old was left
// by a writer killed mid-update (a daemon under kill -9) and would block
// every later record. Only called while holding pushgate's own notes lock,
// so no pushgate writer can own it. Returns true when it removed one.
bool remove_stale_ref_lock(git_repository* repo, const std::string& notes_ref) {
  std::string path = std::string(git_repository_commondir(repo)) + notes_ref + ".lock";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  auto age = std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(st.st_mtime);
  return age > k_stale_lock_age && ::unlink(path.c_str()) == 0;
}

void visit_tree(git_repository* repo, const git_tree* tree, const std::string& prefix,
                const std::function<void(const git_oid&, std::string_view)>& visit) {
  for (std::size_t i = 0, n = git_tree_entrycount(tree); i < n; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
    std::string name = prefix + git_tree_entry_name(entry);
    git_oid target;
    if (is_subtree(entry) && name.size() < GIT_OID_HEXSZ) {
      visit_tree(repo, lookup_tree(repo, entry).get(), name, visit);
    } else if (is_blob(entry) && name.size() == GIT_OID_HEXSZ &&
               git_oid_fromstrn(&target, name.data(), name.size()) == 0) {
      visit(target, blob_text(repo, *git_tree_entry_id(entry)));
    }
  }
}

}  // namespace

std::string deploy_notes_ref(std::string_view env) { return fmt::format("refs/notes/deploy/{}", env); }

std::string deploy_log_notes_ref(std::string_view env) {
  return fmt::format("refs/notes/deploy-log/{}", env);
}

Expected<bool> append_note(git_repository* repo, const std::string& notes_ref, const git_oid& commit,
                           std::string_view text) {
  try {
    SharedRepository shared = SharedRepository::of(repo).value();
    UniqueFd lock = lock_notes(repo, shared);
    std::minstd_rand random(std::random_device{}());
    Attempt last = Attempt::moved;
    for (int attempt = 1; attempt <= k_max_attempts; ++attempt) {
      last = try_append(repo, shared, notes_ref, commit, text);
      if (last == Attempt::done) return true;
      if (last == Attempt::locked && lock && remove_stale_ref_lock(repo, notes_ref)) continue;
      // Another program is writing the ref. Pauses that grow, and differ
      // between writers, keep two of them from colliding in lock step and
      // together outlast a burst of some hundred writes.
      auto limit = std::min<unsigned>(k_max_backoff_us, 250u << std::min(attempt, 16));
      std::this_thread::sleep_for(std::chrono::microseconds(limit / 2 + random() % (limit / 2)));
    }
    std::string why = last == Attempt::locked
                          ? fmt::format("the ref stayed locked through {} attempts; if no git process is "
                                        "running, remove the stale lock file {}{}.lock",
                                        k_max_attempts, git_repository_commondir(repo), notes_ref)
                          : fmt::format("another writer moved the ref during each of {} attempts",
                                        k_max_attempts);
    return Error{ErrorCode::git, fmt::format("cannot add to the note on {} in '{}': {}", git::to_hex(commit),
                                             notes_ref, why)};
  } catch (const Failure& failure) {
    return Error{failure.code(), fmt::format("cannot add to the note on {} in '{}': {}", git::to_hex(commit),
                                             notes_ref, failure.what())};
  }
}

Expected<std::string> read_note(git_repository* repo, const std::string& notes_ref, const git_oid& commit) {
  try {
    NotesTip tip = read_tip(repo, notes_ref);
    auto blob = find_note(repo, tip.tree.get(), git::to_hex(commit));
    return blob ? blob_text(repo, *blob) : std::string();
  } catch (const Failure& failure) {
    return Error{failure.code(), fmt::format("cannot read the note on {} in '{}': {}", git::to_hex(commit),
                                             notes_ref, failure.what())};
  }
}

Expected<bool> for_each_note(git_repository* repo, const std::string& notes_ref,
                             const std::function<void(const git_oid&, std::string_view)>& visit) {
  try {
    NotesTip tip = read_tip(repo, notes_ref);
    if (tip.tree) visit_tree(repo, tip.tree.get(), "", visit);
    return true;
  } catch (const Failure& failure) {
    return Error{failure.code(), fmt::format("cannot read the notes in '{}': {}", notes_ref, failure.what())};
  }
}

}  // namespace pushgate
