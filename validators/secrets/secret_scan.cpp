#include "validators/secrets/secret_scan.hpp"

#include <fmt/format.h>

#include "core/git/git.hpp"
#include "validators/secrets/commit_changes.hpp"

namespace pushgate::secrets {

namespace {

// Abbreviated as git log --oneline does by default.
constexpr std::size_t k_short_id = 10;

}  // namespace

Expected<SecretReport> scan_commits(git_repository* repo, const std::vector<git_oid>& commits,
                                    const SecretCheck& check) {
  SecretReport report;
  for (const git_oid& id : commits) {
    std::string name = git::to_hex(id).substr(0, k_short_id);
    auto files = changed_files(repo, id, check.max_file_size());
    if (!files) return files.error();
    for (const ChangedFile& f : *files) {
      if (f.size > check.max_file_size()) {
        check.too_large(f.path, f.size, name, report);
        continue;
      }
      git_blob* raw = nullptr;
      if (git_blob_lookup(&raw, repo, &f.blob) < 0)
        return git::git_failure(fmt::format("commit {}: cannot read '{}'", name, f.path));
      git::BlobPtr blob(raw);
      std::string_view text(static_cast<const char*>(git_blob_rawcontent(raw)), git_blob_rawsize(raw));
      check.check(f.path, text, f.whole ? nullptr : &f.added, name, report);
    }
    ++report.commits;
  }
  return report;
}

}  // namespace pushgate::secrets
