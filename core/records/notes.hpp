#pragma once
// Git notes written the way pushgate needs them: append-only, safe against
// concurrent writers, and as cheap at 10,000 notes as at 10.
//
// git notes add updates its ref without compare-and-swap; these functions
// build the new notes commit with libgit2 and move the ref only if it still
// points where it did when they read it, retrying otherwise. The notes tree
// uses git's 2/38 fan-out, so a write rewrites one small subtree, not a tree
// of every annotated commit. Plain `git notes show` and `git log --notes`
// read the result.

#include <git2.h>

#include <functional>
#include <string>
#include <string_view>

#include "core/util/error.hpp"

namespace pushgate {

// "refs/notes/deploy/<env>" and "refs/notes/deploy-log/<env>".
std::string deploy_notes_ref(std::string_view env);
std::string deploy_log_notes_ref(std::string_view env);

// Appends `text` (one or more whole lines, newline-terminated) to the note on
// `commit` in `notes_ref`, creating the note and the ref as needed. Retries
// when another writer moved the ref in between. Errors name the ref.
Expected<bool> append_note(git_repository* repo, const std::string& notes_ref,
                           const git_oid& commit, std::string_view text);

// The note on `commit` in `notes_ref`; "" when there is none.
Expected<std::string> read_note(git_repository* repo, const std::string& notes_ref,
                                const git_oid& commit);

// Calls `visit(commit, note_text)` for every note in `notes_ref`; nothing if
// the ref does not exist.
Expected<bool> for_each_note(git_repository* repo, const std::string& notes_ref,
                             const std::function<void(const git_oid&, std::string_view)>& visit);

}  // namespace pushgate
