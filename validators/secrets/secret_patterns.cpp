#include "validators/secrets/secret_patterns.hpp"

namespace pushgate::secrets {

// Boundaries are lookarounds, so a token inside a longer run of token
// characters (a base64 blob, a hash) is not taken for a key.
const std::vector<SecretPattern>& secret_patterns() {
  static const std::vector<SecretPattern> patterns{
      {"secrets.aws-access-key", "AWS access key id", {"AKIA", "ASIA", "ABIA", "ACCA"}, AnchorCase::exact,
       R"((?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9]))", 4, ValueCheck::not_placeholder},
      // A secret access key has no format of its own: 40 base64 characters,
      // recognised by the name it is assigned to.
      {"secrets.aws-secret-key", "AWS secret access key", {"secret"}, AnchorCase::fold,
       R"((?i:secret[_-]?access[_-]?key)["']?[ \t]*(?::=|=>|=|:)[ \t]*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=]))", 0,
       ValueCheck::not_placeholder},
      {"secrets.github-token", "GitHub token", {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}, AnchorCase::exact,
       R"((?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,251})(?![A-Za-z0-9_]))", 4},
      {"secrets.github-token", "GitHub fine-grained token", {"github_pat_"}, AnchorCase::exact,
       R"((?<![A-Za-z0-9_])(github_pat_[A-Za-z0-9_]{50,240})(?![A-Za-z0-9_]))", 11},
      {"secrets.gitlab-token", "GitLab personal access token", {"glpat-"}, AnchorCase::exact,
       R"((?<![A-Za-z0-9_-])(glpat-[A-Za-z0-9_-]{20,250}(?:\.[A-Za-z0-9_-]{2,64})*)(?![A-Za-z0-9_.-]))", 6},
      {"secrets.slack-token", "Slack token", {"xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"}, AnchorCase::exact,
       R"((?<![A-Za-z0-9])(xox[baprs]-(?:[0-9]{1,20}-)+[A-Za-z0-9]{6,128}(?:-[A-Za-z0-9]{1,128})*)(?![A-Za-z0-9-]))", 5},
      {"secrets.slack-webhook", "Slack webhook URL", {"hooks.slack.com/services/"}, AnchorCase::exact,
       R"((hooks\.slack\.com/services/T[A-Z0-9]{6,20}/B[A-Z0-9]{6,20}/[A-Za-z0-9]{16,64})(?![A-Za-z0-9]))", 25},
      {"secrets.stripe-key", "Stripe live key", {"sk_live_", "rk_live_"}, AnchorCase::exact,
       R"((?<![A-Za-z0-9_])((?:sk|rk)_live_[A-Za-z0-9]{20,247})(?![A-Za-z0-9_]))", 8},
      {"secrets.google-api-key", "Google API key", {"AIza"}, AnchorCase::exact,
       R"((?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-]))", 4},
      // The label is printed whole; the secret is the body (value_checks.hpp).
      {"secrets.private-key", "private key block", {"BEGIN"}, AnchorCase::exact,
       R"((?<=-----)(BEGIN(?: [A-Z0-9]{1,20}){0,3} PRIVATE KEY(?: BLOCK)?-----))", SIZE_MAX,
       ValueCheck::private_key},
      {"secrets.jwt", "JSON Web Token", {"eyJ"}, AnchorCase::exact,
       R"((?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{2,16384}\.[A-Za-z0-9_-]{0,4096})(?![A-Za-z0-9_.-]))",
       3, ValueCheck::jwt_header},
      // `password: ...`, `DB_PASSWORD=...`, `"api_key": "..."`: a key that
      // ends in one of the words, then the value up to a quote or a blank.
      {"secrets.generic", "high-entropy value assigned to a password, secret, token or API key",
       {"password", "passwd", "secret", "token", "api_key", "api-key", "apikey"}, AnchorCase::fold,
       R"((?i:pass(?:word|wd)|secret|token|api[_-]?key)(?i:[_-]?(?:access[_-]?)?key|s)?["']?[ \t]*(?::=|=>|=|:)[ \t]*["'`]?([^\s"'`,;]{8,256})(?![^\s"'`,;]))",
       0, ValueCheck::generic_value},
  };
  return patterns;
}

}  // namespace pushgate::secrets
