#include "validators/secrets/secret_scanner.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/unit/validators/secrets/fake_secrets.hpp"
#include "validators/rule_catalog.hpp"

using namespace pushgate;
using namespace pushgate::secrets;
using test::fake_token;
using test::join;

namespace {

std::vector<SecretMatch> scan(std::string_view text) {
  static const SecretScanner scanner;
  std::vector<SecretMatch> out;
  scanner.scan(text, 0, text.size(), out);
  return out;
}

// The one rule that fires on `line`, and what it may print.
void check_one(const std::string& line, std::string_view rule, std::string_view shown) {
  INFO(line);
  auto found = scan(line);
  REQUIRE(found.size() == 1);
  CHECK(found[0].pattern->rule == rule);
  CHECK(masked(found[0]) == shown);
  // The secret itself is never what is printed.
  CHECK(masked(found[0]).find(found[0].secret) == std::string::npos);
}

void check_none(const std::string& line) {
  INFO(line);
  auto found = scan(line);
  for (const auto& m : found) INFO(m.pattern->rule << " at " << m.offset);
  CHECK(found.empty());
}

}  // namespace

TEST_CASE("every secret pattern compiles and its rule is in the catalogue", "[secrets]") {
  const auto& ids = rule_ids();
  for (const SecretPattern& p : secret_patterns()) {
    INFO(p.rule);
    CHECK(std::binary_search(ids.begin(), ids.end(), p.rule));
    for (std::string_view anchor : p.anchors) CHECK(anchor.size() >= 3);
  }
  CHECK(std::binary_search(ids.begin(), ids.end(), k_kubernetes_secret_rule));
  CHECK(std::binary_search(ids.begin(), ids.end(), k_file_size_rule));
  CHECK_NOTHROW(SecretScanner());
}

TEST_CASE("provider tokens are found by their formats, masked to their prefixes", "[secrets]") {
  SECTION("AWS") {
    check_one("aws_access_key_id = " + test::fake_aws_key_id(), "secrets.aws-access-key", "AKIA****");
    check_one("AWS_ACCESS_KEY_ID: " + fake_token(join("AS", "IA"), 16, test::k_upper_digits), "secrets.aws-access-key",
              "ASIA****");
    check_one("aws_secret_access_key = " + fake_token("", 40, test::k_base64), "secrets.aws-secret-key", "****");
    check_one("AWS_SECRET_ACCESS_KEY: \"" + fake_token("", 40, test::k_base64) + "\"", "secrets.aws-secret-key",
              "****");
  }
  SECTION("GitHub") {
    for (std::string_view prefix : {"p_", "o_", "u_", "s_", "r_"})
      check_one("token " + fake_token(join("gh", prefix), 36), "secrets.github-token", join("gh", prefix) + "****");
    check_one("GH=" + fake_token(join("github", "_pat_"), 82, join(test::k_alnum, "_")), "secrets.github-token",
              "github_pat_****");
  }
  SECTION("GitLab, Slack, Stripe, Google") {
    check_one("CI_TOKEN: " + fake_token(join("gl", "pat-"), 20), "secrets.gitlab-token", "glpat-****");
    check_one("slack: " + join("xo", "xb-") + "123456789012-1234567890123-" + fake_token("", 24),
              "secrets.slack-token", "xoxb-****");
    check_one("url: https://" + join("hooks.slack", ".com/services/") + "T0123ABCD/B0456EFGH/" + fake_token("", 24),
              "secrets.slack-webhook", "hooks.slack.com/services/****");
    check_one("stripe " + fake_token(join("sk_", "live_"), 24), "secrets.stripe-key", "sk_live_****");
    check_one("stripe " + fake_token(join("rk_", "live_"), 24), "secrets.stripe-key", "rk_live_****");
    check_one("maps_key: " + fake_token(join("AI", "za"), 35), "secrets.google-api-key", "AIza****");
  }
  SECTION("a private key block, reported at its first dash with its label") {
    std::string text = "key: |\n  " + test::fake_private_key();
    auto found = scan(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].pattern->rule == "secrets.private-key");
    CHECK(found[0].offset == text.find("-----BEGIN"));
    CHECK(masked(found[0]) == "-----BEGIN RSA PRIVATE KEY-----");
    for (std::string_view label : {"OPENSSH PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
                                   "PGP PRIVATE KEY BLOCK"}) {
      std::string block = "-----" + join("BEGIN ", label) + "-----\n" + fake_token("", 64, test::k_base64) + "\n";
      check_one(block, "secrets.private-key", "-----BEGIN " + std::string(label) + "-----");
    }
  }
  SECTION("a JWT, when its header decodes to JSON naming alg") {
    check_one("Authorization: Bearer " + test::fake_jwt(), "secrets.jwt", "eyJ****");
  }
}

TEST_CASE("generic assignments fire on high-entropy values only", "[secrets]") {
  std::string value = fake_token("", 20, join(test::k_alnum, "#%!"));
  for (std::string line : {"password: " + value, "DB_PASSWORD=" + value, "\"api_key\": \"" + value + "\",",
                           "client_secret = '" + value + "'", "export GITHUB_TOKEN=" + value, "apiKey: " + value,
                           "secret_key := \"" + value + "\"", "  passwd => " + value})
    check_one(line, "secrets.generic", "****");
  check_one("password: Tr0ub4dor&3x", "secrets.generic", "****");
}

TEST_CASE("near-misses do not fire", "[secrets]") {
  SECTION("ids and digests") {
    check_none("id: 123e4567-e89b-12d3-a456-426614174000");
    check_none("token: 123e4567-e89b-12d3-a456-426614174000");
    check_none("sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    check_none("token: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    check_none("image: nginx@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    check_none("secret: sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    check_none("integrity: sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==");
    check_none("commit 3e1f2b9d4c5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c");
    check_none("src: data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
  }
  SECTION("placeholders, references and prose") {
    check_none("# password: changeme");
    check_none("password: changeme");
    check_none("password: ${DB_PASSWORD}");
    check_none("password: \"{{ .Values.db.password }}\"");
    check_none("api_key: <your-api-key>");
    check_none("token: xxxxxxxxxxxxxxxxxxxx");
    check_none("password: hunter2");
    check_none("password = settings.database.password");
    check_none("token = fetch_token(client_id)");
    check_none("password_file: /run/secrets/db-password");
    check_none("token_url: https://oauth2.example.com/token");
    check_none("secretName: my-tls-secret");
    check_none("tokens: 8");
    check_none("Set the password to something long and random.");
    check_none("password: ENC[AES256_GCM,data:Tm90IGEgc2VjcmV0,iv:abc,tag:def,type:str]");
  }
  SECTION("lookalikes of provider formats") {
    check_none("aws_access_key_id = " + join("AKIA", "IOSFODNN7EXAMPLE"));  // AWS's documented example
    check_none("x" + test::fake_aws_key_id());                             // inside a longer word
    check_none(test::fake_aws_key_id() + "X");
    check_none(join("gh", "p_") + "short");
    check_none("slack: " + join("xo", "xb-") + "your-token-here");
    check_none("stripe " + fake_token(join("sk_", "test_"), 24));         // a test-mode key
    check_none(join("-----BEGIN RSA PRIVATE", " KEY-----") + "\n...\n-----END RSA PRIVATE KEY-----");
    check_none(join("-----BEGIN PUBLIC", " KEY-----") + "\n" + fake_token("", 64, test::k_base64));
    check_none(test::base64url(R"({"name":"bob"})") + "." + test::base64url(R"({"x":1})") + ".abc");  // no alg
  }
}

TEST_CASE("the scanner reports only what starts inside the range it is given", "[secrets]") {
  static const SecretScanner scanner;
  std::string first = "a: " + test::fake_aws_key_id() + "\n";
  std::string text = first + "b: " + fake_token(join("AS", "IA"), 16, test::k_upper_digits) + "\n";
  std::vector<SecretMatch> out;
  scanner.scan(text, first.size(), text.size(), out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].offset == first.size() + 3);
  CHECK(out[0].shown == "ASIA");
}

TEST_CASE("a token is found at every offset, up to the last bytes of the text", "[secrets]") {
  // The prefilter steps over several positions at a time: none may be missed.
  std::string key = test::fake_aws_key_id();
  for (std::size_t lead = 0; lead < 9; ++lead) {
    std::string text = std::string(lead, ' ') + key;
    INFO("lead " << lead);
    auto found = scan(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == lead);
    found = scan(text + "\n" + std::string(lead, 'y'));
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == lead);
  }
}
