#include "validators/secrets/secret_check.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/validators/secrets/fake_secrets.hpp"
#include "validators/secrets/secret_fingerprint.hpp"

using namespace pushgate;
using namespace pushgate::secrets;

namespace {

SecretReport check(const std::string& path, const std::string& text, const LineRanges* added = nullptr,
                   const ValidateSettings& settings = {}, const Allowlist* allowlist = nullptr) {
  SecretCheck checker(settings, allowlist);
  SecretReport report;
  checker.check(path, text, added, "0123456789", report);
  return report;
}

std::string fingerprint_in(const std::string& message) {
  auto at = message.rfind("fingerprint ");
  REQUIRE(at != std::string::npos);
  return message.substr(at + 12, k_fingerprint_digits);
}

}  // namespace

TEST_CASE("a finding names commit, file, line, column and rule, never the secret", "[secrets]") {
  std::string key = test::fake_aws_key_id();
  SecretReport r = check("deploy/app.env", "# app\nREGION=eu-west-1\nAWS_ACCESS_KEY_ID=" + key + "\n");
  REQUIRE(r.findings.size() == 1);
  const Finding& f = r.findings[0];
  CHECK(format_finding(f).starts_with("deploy/app.env:3:19: error: [secrets.aws-access-key] AWS access key id "
                                      "AKIA**** in commit 0123456789: "));
  CHECK(f.message.find(key) == std::string::npos);
  CHECK(fingerprint_in(f.message) == fingerprint("secrets.aws-access-key", key));
  CHECK(r.errors == 1);
  CHECK(r.files == 1);
}

TEST_CASE("only the added lines are scanned", "[secrets]") {
  std::string text = "old: " + test::fake_aws_key_id() + "\nnew: " + test::fake_jwt() + "\n";
  LineRanges second{{2, 2}};
  SecretReport r = check("a.txt", text, &second);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule == "secrets.jwt");
  CHECK(r.findings[0].where.line == 2);
  LineRanges none;
  CHECK(check("a.txt", text, &none).findings.empty());
}

TEST_CASE("the allow-list and an inline comment exempt a finding, and say so", "[secrets]") {
  std::string key = test::fake_aws_key_id();
  SECTION("inline") {
    SecretReport r = check("a.py", "KEY = '" + key + "'  # pushgate:allow-secret revoked test key\n");
    CHECK(r.findings.empty());
    REQUIRE(r.exempted.size() == 1);
    CHECK(format_exempted(r.exempted[0]) ==
          "a.py:1:8: note: [secrets.aws-access-key] AWS access key id AKIA**** in commit 0123456789: accepted by "
          "pushgate:allow-secret on the line");
    CHECK(r.exempted[0].severity == Severity::note);
    CHECK(r.exempted[0].exemption == "accepted by pushgate:allow-secret on the line");
    CHECK(r.exempted[0].exemption_kind == ExemptionKind::in_source);
  }
  SECTION("allow-list") {
    auto list = Allowlist::parse("# accepted\n" + fingerprint("secrets.aws-access-key", key) + "  # docs key\n",
                                 "/srv/allow.txt");
    REQUIRE(list);
    SecretReport r = check("a.py", "KEY = '" + key + "'\nOTHER = '" + test::fake_jwt() + "'\n", nullptr, {}, &*list);
    REQUIRE(r.exempted.size() == 1);
    CHECK_THAT(r.exempted[0].exemption.str(), Catch::StartsWith("accepted by the allow-list /srv/allow.txt (fingerprint "));
    CHECK(r.exempted[0].severity == Severity::note);
    CHECK(r.exempted[0].exemption_kind == ExemptionKind::external);
    REQUIRE(r.findings.size() == 1);  // another secret is not covered
    CHECK(r.findings[0].rule == "secrets.jwt");
  }
  SECTION("a rule turned off reports nothing; one set to warning warns") {
    ValidateSettings settings;
    settings.rules["secrets.aws-access-key"] = RuleSetting::off;
    CHECK(check("a.py", "KEY = '" + key + "'\n", nullptr, settings).findings.empty());
    settings.rules["secrets.aws-access-key"] = RuleSetting::warning;
    SecretReport r = check("a.py", "KEY = '" + key + "'\n", nullptr, settings);
    CHECK(r.warnings == 1);
    CHECK(r.errors == 0);
  }
}

TEST_CASE("allow-lists are parsed strictly", "[secrets]") {
  std::string good = fingerprint("secrets.jwt", "x");
  auto list = Allowlist::parse("\n# c\n" + good + "\n  " + good + " # twice\n", "f");
  REQUIRE(list);
  CHECK(list->size() == 1);
  CHECK(list->allows(good));
  auto bad = Allowlist::parse(good + "\nAKIA1234\n" + good.substr(1) + "\n", "/srv/allow.txt");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::config);
  CHECK_THAT(bad.error().message, Catch::Contains("/srv/allow.txt:2:") && Catch::Contains("/srv/allow.txt:3:"));
}

TEST_CASE("Kubernetes Secrets with plaintext data are findings; SOPS and SealedSecrets are not", "[secrets]") {
  std::string plain =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: cGFzc3dvcmQ=\n"
      "stringData:\n  user: admin\n  empty: \"\"\n";
  SecretReport r = check("deploy/secret.yaml", plain);
  REQUIRE(r.findings.size() == 2);
  CHECK(format_finding(r.findings[0]).starts_with(
      "deploy/secret.yaml:7:3: error: [secrets.kubernetes-secret] Kubernetes Secret 'db' with 'password' in "
      "plaintext (****;"));
  CHECK(r.findings[1].where.line == 9);
  CHECK(r.findings[0].message.find("cGFzc3dvcmQ=") == std::string::npos);

  SECTION("only added values count") {
    LineRanges lines{{9, 9}};
    CHECK(check("deploy/secret.yaml", plain, &lines).findings.size() == 1);
  }
  SECTION("encrypted or sealed") {
    std::string sops =
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata:\n  password: ENC[AES256_GCM,data:abc,iv:x,tag:y]\n"
        "sops:\n  mac: ENC[AES256_GCM,data:def]\n  version: 3.8.1\n";
    CHECK(check("s.yaml", sops).findings.empty());
    std::string sealed = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db}\nspec:\n"
                         "  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA==\n";
    CHECK(check("s.yaml", sealed).findings.empty());
    std::string templated = "kind: Secret\nstringData:\n  password: ${DB_PASSWORD}\n";
    CHECK(check("s.yaml", templated).findings.empty());
  }
  SECTION("not in other files") {
    for (const Finding& f : check("notes.txt", plain).findings) CHECK(f.rule != "secrets.kubernetes-secret");
  }
}

TEST_CASE("binary files are skipped, and the report says so", "[secrets]") {
  std::string text = std::string("PNG\0", 4) + test::fake_aws_key_id();
  SecretReport r = check("logo.png", text);
  CHECK(r.findings.empty());
  REQUIRE(r.skipped.size() == 1);
  CHECK(r.skipped[0] == "logo.png in commit 0123456789: binary (holds a NUL byte), not scanned");
  CHECK(r.files == 0);
}

TEST_CASE("a file over validate.secrets.file_size is a warning, not scanned", "[secrets]") {
  ValidateSettings settings;
  settings.secrets.file_size = 10;
  SecretCheck checker(settings, nullptr);
  SecretReport r;
  checker.too_large("big.js", 11, "abc", r);
  REQUIRE(r.findings.size() == 1);
  CHECK(format_finding(r.findings[0]) == "big.js: warning: [secrets.file-size] not scanned for secrets in commit abc: "
                                         "11 bytes, more than validate.secrets.file_size (10)");
}
