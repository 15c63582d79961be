#include "validators/commits/push_signatures.hpp"

#include <fmt/format.h>

#include "core/config/signature_config.hpp"
#include "core/git/git.hpp"
#include "core/git/new_commits.hpp"
#include "validators/commits/signature_check.hpp"

namespace pushgate {

PushSignatures::PushSignatures(const RepoConfig& config, uid_t owner, ProcessRunner& runner, unsigned threads)
    : m_config(config), m_owner(owner), m_runner(runner), m_threads(threads) {}

PushSignatures::~PushSignatures() = default;

bool PushSignatures::covers(const std::string& ref) const {
  return signature_rule_for(m_config.validate.signatures, m_config.environments, ref) != nullptr;
}

Expected<std::vector<Finding>> PushSignatures::check(git_repository* repo, const std::string& ref,
                                                     const std::optional<git_oid>& old_commit,
                                                     const git_oid& new_commit) {
  const SignatureRule* rule = signature_rule_for(m_config.validate.signatures, m_config.environments, ref);
  if (!rule) return std::vector<Finding>{};
  auto& keys = m_keys[rule];
  if (!keys) {
    auto loaded = SignerKeys::load(*rule, m_owner);
    if (!loaded) return loaded.error();
    keys = std::move(*loaded);
  }
  // What the ref did not hold before: a commit already in the repository
  // (on a branch that needs no signatures) moved onto this one counts too.
  auto commits = old_commit ? git::commits_in_range(repo, git::to_hex(*old_commit) + ".." + git::to_hex(new_commit))
                            : git::new_commits(repo, {new_commit});
  if (!commits) return commits.error();
  constexpr std::string_view heads = "refs/heads/";
  SignatureCheck check{ref, ref.starts_with(heads) ? ref.substr(heads.size()) : ref, m_threads};
  SignatureVerifier verifier(*keys, m_runner);
  return check_signatures(repo, *commits, verifier, check, m_config.validate);
}

}  // namespace pushgate
