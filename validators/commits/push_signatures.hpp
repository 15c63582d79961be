#pragma once
// validate.signatures for a push: which commits each pushed ref brings to
// the branch, which entry covers the ref, and the findings of their
// signatures. Key files are read once per entry and push.

#include <git2.h>
#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config/repo_config.hpp"
#include "core/util/error.hpp"
#include "core/util/finding.hpp"
#include "core/util/process.hpp"
#include "validators/commits/signer_keys.hpp"

namespace pushgate {

class PushSignatures {
 public:
  // `config` (the repository's, outliving this object) says which refs need
  // signatures and whose keys count; key files must belong to root or
  // `owner`. Tools run through `runner`, `threads` at once.
  PushSignatures(const RepoConfig& config, uid_t owner, ProcessRunner& runner, unsigned threads);
  ~PushSignatures();

  // Whether any entry covers `ref` (a full ref name).
  bool covers(const std::string& ref) const;

  // The findings for `ref` moving from `old_commit` (nullopt: created) to
  // `new_commit`: every commit new to the ref (old..new; on creation, the
  // commits new to the repository) must be signed. Empty when no entry
  // covers `ref`. Errors: ErrorCode::config when a key file cannot be used,
  // ErrorCode::input when the ref brings more commits than pushgate checks
  // at once. Throws Failure when a commit cannot be read or a tool cannot run.
  Expected<std::vector<Finding>> check(git_repository* repo, const std::string& ref,
                                       const std::optional<git_oid>& old_commit, const git_oid& new_commit);

 private:
  const RepoConfig& m_config;
  uid_t m_owner;
  ProcessRunner& m_runner;
  unsigned m_threads;
  std::map<const SignatureRule*, std::unique_ptr<SignerKeys>> m_keys;
};

}  // namespace pushgate
