#include "validators/commits/signature_check.hpp"

#include <fmt/format.h>

#include "core/git/git.hpp"
#include "core/jobs/job.hpp"
#include "core/util/parallel_for.hpp"
#include "validators/rule_catalog.hpp"

namespace pushgate {

namespace {

constexpr std::string_view k_sign_hint =
    "Sign it (git commit --amend --no-edit -S; for several commits git rebase --exec "
    "'git commit --amend --no-edit -S' BASE) and push again";

struct Commit {
  git_oid id;
  std::string label;  // `1a2b3c4 "subject"`
  CommitSignature signature;
};

std::string label_of(git_repository* repo, const git_oid& id) {
  git_commit* raw = nullptr;
  git::check(git_commit_lookup(&raw, repo, &id), fmt::format("cannot read commit {}", git::to_hex(id)));
  git::CommitPtr commit(raw);
  const char* summary = git_commit_summary(raw);
  return fmt::format("{} \"{}\"", abbreviate(git::to_hex(id)), summary ? summary : "");
}

std::optional<Finding> finding_for(const Commit& c, const SignatureVerdict& v, const SignatureCheck& check) {
  std::string_view rule;
  std::string message;
  switch (v.status) {
    case SignatureStatus::good: return std::nullopt;
    case SignatureStatus::unsigned_commit:
      rule = k_rule_unsigned;
      message = fmt::format("commit {} is not signed, and every commit on {} must be signed by a key the server "
                            "allows. {}",
                            c.label, check.branch, k_sign_hint);
      break;
    case SignatureStatus::bad:
      rule = k_rule_bad_signature;
      message = fmt::format("commit {} has a bad signature: {}. The commit changed after it was signed, or the "
                            "signature is not git's. {}",
                            c.label, v.detail, k_sign_hint);
      break;
    case SignatureStatus::unknown_key:
      rule = k_rule_unknown_key;
      message = fmt::format("commit {} is signed, but not by a key allowed on {}: {}. Sign it with an allowed "
                            "key, or ask an administrator to add yours",
                            c.label, check.branch, v.detail);
      break;
    case SignatureStatus::expired_key:
      rule = k_rule_expired_key;
      message = fmt::format("commit {} is signed by a key that is no longer valid: {}. Sign it with a current "
                            "key, or ask an administrator to renew yours",
                            c.label, v.detail);
      break;
  }
  return Finding{{check.where, 0, 0}, Severity::error, rule, std::move(message), {}};
}

}  // namespace

std::vector<Finding> check_signatures(git_repository* repo, const std::vector<git_oid>& commits,
                                      const SignatureVerifier& verifier, const SignatureCheck& check,
                                      const ValidateSettings& settings) {
  // Read in this thread (a repository handle is not for sharing); only the
  // verifications run in parallel.
  std::vector<Commit> list;
  list.reserve(commits.size());
  for (const git_oid& id : commits) {
    auto signature = extract_signature(repo, id);
    if (!signature) throw Failure(signature.error());
    list.push_back({id, label_of(repo, id), std::move(*signature)});
  }
  std::vector<SignatureVerdict> verdicts(list.size());
  parallel_for(list.size(), check.threads, [&](std::size_t i) {
    verdicts[i] = verifier.verify(list[i].signature, i);
    return true;
  });

  std::vector<Finding> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto finding = finding_for(list[i], verdicts[i], check);
    if (!finding) continue;
    auto severity = rule_severity(settings, finding->rule, finding->severity);
    if (!severity) continue;
    finding->severity = *severity;
    out.push_back(std::move(*finding));
  }
  return out;
}

}  // namespace pushgate
