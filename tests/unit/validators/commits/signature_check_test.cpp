#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "validators/commits/signature_check.hpp"
#include "tests/unit/validators/commits/signing_fixture.hpp"

using namespace pushgate;
using pushgate::test::SigningRepo;

namespace {

git_oid oid(const std::string& hex) { return git::parse_oid(hex).value(); }

// The findings of checking `commits` against `rule`.
std::vector<Finding> check(const SigningRepo& repo, const SignatureRule& rule, const std::vector<std::string>& commits,
                           const ValidateSettings& settings = {}) {
  auto keys = SignerKeys::load(rule, ::geteuid()).value();
  SystemProcessRunner runner;
  SignatureVerifier verifier(*keys, runner);
  std::vector<git_oid> ids;
  for (const auto& c : commits) ids.push_back(oid(c));
  auto git = repo.open();
  return check_signatures(git.get(), ids, verifier, {"refs/heads/main", "main", 2}, settings);
}

}  // namespace

TEST_CASE("check_signatures accepts SSH signatures of allowed keys and names what is wrong with the others") {
  if (auto missing = SigningRepo::missing_tools(); !missing.empty()) {
    WARN("skipped: " << missing);
    return;
  }
  SigningRepo repo;
  std::string alice = repo.ssh_key("alice"), mallory = repo.ssh_key("mallory"), old = repo.ssh_key("old");
  test::spit(repo.tmp() / "allowed_signers", "# the deployers\nalice@example.com " + alice +
                                                 "\nold@example.com valid-before=\"20200101Z\" " + old +
                                                 "\nci@example.com namespaces=\"file\" " + mallory + "\n");
  SignatureRule rule;
  rule.allowed_signers = (repo.tmp() / "allowed_signers").string();

  std::string good = repo.commit("good one", repo.ssh_signing("alice"));
  std::string plain = repo.commit("not signed");
  std::string stranger = repo.commit("by mallory", repo.ssh_signing("mallory"));
  std::string expired = repo.commit("by an old key", repo.ssh_signing("old"));
  std::string changed = repo.tampered(good);
  REQUIRE(changed.size() == 40);

  auto findings = check(repo, rule, {good, plain, stranger, expired, changed});
  REQUIRE(findings.size() == 4);
  CHECK(findings[0].rule == "signature.unsigned");
  CHECK(findings[0].where.path == "refs/heads/main");
  CHECK_THAT(findings[0].message, Catch::Contains(plain.substr(0, 7) + " \"not signed\" is not signed") &&
                                      Catch::Contains("git commit --amend --no-edit -S"));
  CHECK(findings[1].rule == "signature.unknown-key");
  CHECK_THAT(findings[1].message, Catch::Contains("\"by mallory\"") && Catch::Contains("namespaces file, not git"));
  CHECK(findings[2].rule == "signature.expired-key");
  CHECK_THAT(findings[2].message, Catch::Contains("old@example.com") && Catch::Contains("expired on 2020-01-01"));
  CHECK(findings[3].rule == "signature.bad");
  CHECK_THAT(findings[3].message, Catch::Contains(changed.substr(0, 7)) &&
                                      Catch::Contains("does not match the signed content"));

  SECTION("a key that is nowhere in the file is unknown, shown as its public key") {
    test::spit(repo.tmp() / "allowed_signers", "alice@example.com " + alice + "\n");
    auto only = check(repo, rule, {stranger});
    REQUIRE(only.size() == 1);
    CHECK(only[0].rule == "signature.unknown-key");
    CHECK_THAT(only[0].message, Catch::Contains(mallory) && Catch::Contains("not in the allowed signers"));
  }
  SECTION("validate.rules can make a rule a warning, or turn it off") {
    ValidateSettings settings;
    settings.rules["signature.unsigned"] = RuleSetting::warning;
    settings.rules["signature.bad"] = RuleSetting::off;
    auto relaxed = check(repo, rule, {plain, changed}, settings);
    REQUIRE(relaxed.size() == 1);
    CHECK(relaxed[0].severity == Severity::warning);
  }
  SECTION("an OpenPGP-only entry does not take SSH signatures") {
    SignatureRule pgp;
    repo.gpg_key("Bob <bob@example.com>");
    repo.export_keyring("bob@example.com", repo.tmp() / "keyring.gpg");
    pgp.keyring = (repo.tmp() / "keyring.gpg").string();
    auto only = check(repo, pgp, {good});
    REQUIRE(only.size() == 1);
    CHECK(only[0].rule == "signature.unknown-key");
    CHECK_THAT(only[0].message, Catch::Contains("only OpenPGP keys"));
  }
}

TEST_CASE("check_signatures accepts SSH certificates of a cert-authority and says which part of the others fails") {
  if (auto missing = SigningRepo::missing_tools(); !missing.empty()) {
    WARN("skipped: " << missing);
    return;
  }
  SigningRepo repo;
  std::string ca = repo.ssh_key("ca");
  repo.ssh_key("rogue_ca");
  for (const char* key : {"alice", "old", "bob", "eve"}) repo.ssh_key(key);
  repo.ssh_certify("alice", "ca", "-I alice-laptop -n alice@example.com");
  repo.ssh_certify("old", "ca", "-I old-laptop -n alice@example.com -V 20200101:20200201");
  repo.ssh_certify("bob", "ca", "-I bob-laptop -n bob@example.com");
  repo.ssh_certify("eve", "rogue_ca", "-I eve -n alice@example.com");
  test::spit(repo.tmp() / "allowed_signers",
             "# the deployers' CA\nalice@example.com,carol@example.com cert-authority " + ca + "\n");
  SignatureRule rule;
  rule.allowed_signers = (repo.tmp() / "allowed_signers").string();

  std::string good = repo.commit("by the certificate of alice", repo.ssh_cert_signing("alice"));
  std::string expired = repo.commit("by an expired certificate", repo.ssh_cert_signing("old"));
  std::string other = repo.commit("by the certificate of bob", repo.ssh_cert_signing("bob"));
  std::string rogue = repo.commit("by a certificate of another CA", repo.ssh_cert_signing("eve"));
  std::string plain_key = repo.commit("by the key of alice without its certificate", repo.ssh_signing("alice"));
  std::string changed = repo.tampered(good);
  REQUIRE(changed.size() == 40);

  auto findings = check(repo, rule, {good, expired, other, rogue, plain_key, changed});
  REQUIRE(findings.size() == 5);
  CHECK(findings[0].rule == "signature.expired-key");
  CHECK_THAT(findings[0].message, Catch::Contains("certificate 'old-laptop'") && Catch::Contains("expired on 2020-02-01"));
  CHECK(findings[1].rule == "signature.unknown-key");
  CHECK_THAT(findings[1].message, Catch::Contains("(principals: bob@example.com) names no principal that") &&
                                      Catch::Contains("allowed_signers:2 allows (alice@example.com,carol@example.com)"));
  CHECK(findings[2].rule == "signature.unknown-key");
  CHECK_THAT(findings[2].message, Catch::Contains("certificate 'eve'") && Catch::Contains("no cert-authority line"));
  CHECK(findings[3].rule == "signature.unknown-key");
  CHECK_THAT(findings[3].message, Catch::Contains("not in the allowed signers"));
  CHECK(findings[4].rule == "signature.bad");
  CHECK_THAT(findings[4].message, Catch::Contains(changed.substr(0, 7)) && Catch::Contains("ssh-keygen -Y verify"));
}

TEST_CASE("check_signatures accepts OpenPGP signatures of keys in the keyring, checked by gpgv") {
  if (auto missing = SigningRepo::missing_tools(); !missing.empty()) {
    WARN("skipped: " << missing);
    return;
  }
  SigningRepo repo;
  std::string bob = repo.gpg_key("Bob <bob@example.com>");
  std::string carol = repo.gpg_key("Carol <carol@example.com>");
  std::string old = repo.gpg_key("Old <old@example.com>", "1d", "20200101T000000");
  test::spit(repo.tmp() / "fake-gpg", "#!/bin/sh\nexec gpg --faked-system-time 20200101T120000 \"$@\"\n");
  std::filesystem::permissions(repo.tmp() / "fake-gpg", std::filesystem::perms::owner_all);
  repo.export_keyring("bob@example.com old@example.com", repo.tmp() / "keyring.gpg");
  SignatureRule rule;
  rule.keyring = (repo.tmp() / "keyring.gpg").string();

  std::string good = repo.commit("by bob", repo.gpg_signing(bob));
  std::string stranger = repo.commit("by carol", repo.gpg_signing(carol));
  std::string expired = repo.commit("by old", repo.gpg_signing(old, (repo.tmp() / "fake-gpg").string()));
  std::string changed = repo.tampered(good);

  auto findings = check(repo, rule, {good, stranger, expired, changed});
  REQUIRE(findings.size() == 3);
  CHECK(findings[0].rule == "signature.unknown-key");
  CHECK_THAT(findings[0].message, Catch::Contains("\"by carol\"") && Catch::Contains("is not in the keyring"));
  CHECK(findings[1].rule == "signature.expired-key");
  CHECK_THAT(findings[1].message, Catch::Contains("Old <old@example.com>") && Catch::Contains("has expired"));
  CHECK(findings[2].rule == "signature.bad");
  CHECK_THAT(findings[2].message, Catch::Contains("does not match the commit"));
}

TEST_CASE("SignerKeys refuses key files another account could have written") {
  test::TempDir tmp;
  test::spit(tmp / "allowed_signers", "");
  ::chmod((tmp / "allowed_signers").c_str(), 0666);
  SignatureRule rule;
  rule.allowed_signers = (tmp / "allowed_signers").string();
  auto keys = SignerKeys::load(rule, ::geteuid());
  REQUIRE_FALSE(keys);
  CHECK(keys.error().code == ErrorCode::config);
  CHECK_THAT(keys.error().message, Catch::Contains("allowed_signers"));

  rule.allowed_signers = (tmp / "missing").string();
  auto missing = SignerKeys::load(rule, ::geteuid());
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().message, Catch::Contains("does not exist"));
}
