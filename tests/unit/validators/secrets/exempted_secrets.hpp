#pragma once
// Two exempted secret findings, as the secret scan makes them: one accepted
// by an inline pushgate:allow-secret (app/inline.py), one by the allow-list
// /srv/allow.txt (app/listed.py); for the output tests.

#include <catch2/catch.hpp>

#include <vector>

#include "core/config/repo_config.hpp"
#include "tests/unit/validators/secrets/fake_secrets.hpp"
#include "validators/secrets/secret_check.hpp"
#include "validators/secrets/secret_fingerprint.hpp"

namespace pushgate::test {

inline std::vector<Finding> exempted_secrets() {
  std::string key = fake_aws_key_id();
  auto list = secrets::Allowlist::parse(secrets::fingerprint("secrets.aws-access-key", key) + "  # docs key\n",
                                        "/srv/allow.txt");
  REQUIRE(list);
  ValidateSettings settings;
  secrets::SecretCheck check(settings, &*list);
  secrets::SecretReport report;
  check.check("app/inline.py", "KEY = '" + key + "'  # pushgate:allow-secret test key\n", nullptr, "", report);
  check.check("app/listed.py", "KEY = '" + key + "'\n", nullptr, "", report);
  REQUIRE(report.findings.empty());
  REQUIRE(report.exempted.size() == 2);
  return report.exempted;
}

}  // namespace pushgate::test
