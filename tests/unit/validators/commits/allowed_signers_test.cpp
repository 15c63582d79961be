#include <catch2/catch.hpp>

#include "core/util/base64.hpp"
#include "validators/commits/allowed_signers.hpp"
#include "validators/commits/ssh_signature.hpp"

using namespace pushgate;

namespace {

constexpr const char* k_key = "AAAAC3NzaC1lZDI1NTE5AAAAIHl79B9YmIcEy8EtbCz8DMXsPAc2JFvtTrsjlv+zBPWW";
constexpr const char* k_other = "AAAAC3NzaC1lZDI1NTE5AAAAIPbFqb7AcrK7q1O+ok3V9tVAmp00YRnNQe9FaqCHBM7g";

// A real signature (ssh-keygen -Y sign -n git) by the key k_other.
constexpr const char* k_signature = R"(-----BEGIN SSH SIGNATURE-----
U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAg9sWpvsBysrurU76iTdX21UCanT
RhGc1B70VqoIcEzuAAAAADZ2l0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5
AAAAQDo/b4Ylnxh1mO+18j+vuFJXDQZnMXRTD3lZncJIXQdde/BnL7A6d0OB3knFKcRt3T
bWr/RyuFT77k5kt2Ay9A4=
-----END SSH SIGNATURE-----
)";

}  // namespace

TEST_CASE("AllowedSigners reads principals, options and keys as ssh-keygen writes them") {
  std::string text = std::string("# deployers\n\nalice@example.com,a@example.com ssh-ed25519 ") + k_key +
                     " alice's laptop\n" + "old@example.com namespaces=\"git,file\",valid-after=\"20200101\","
                     "valid-before=\"20210101Z\" ssh-ed25519 " + k_other + "\n";
  auto signers = AllowedSigners::parse(text, "/etc/pushgate/allowed_signers");
  REQUIRE(signers);
  auto alice = signers->find(*decode_base64(k_key));
  REQUIRE(alice.size() == 1);
  CHECK(alice[0]->principal() == "alice@example.com");
  CHECK(alice[0]->line == 3);
  CHECK(alice[0]->allows_namespace("git"));
  auto old = signers->find(*decode_base64(k_other));
  REQUIRE(old.size() == 1);
  CHECK(old[0]->namespaces == std::vector<std::string>{"git", "file"});
  CHECK_FALSE(old[0]->allows_namespace("other"));
  CHECK(old[0]->valid_before == 1609459200);  // 2021-01-01T00:00:00Z
  CHECK(old[0]->valid_after.has_value());
  CHECK(signers->find("not a key").empty());
}

TEST_CASE("AllowedSigners names the line that is not a signer") {
  auto message = [](const std::string& text) {
    auto parsed = AllowedSigners::parse(text, "signers");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == ErrorCode::config);
    return parsed.error().message;
  };
  CHECK_THAT(message("alice@example.com\n"), Catch::StartsWith("signers:1: the key is missing"));
  CHECK_THAT(message("\nalice ssh-ed25519 !!!\n"), Catch::StartsWith("signers:2: the key is not base64"));
  CHECK_THAT(message("alice valid-before=\"tomorrow\" ssh-ed25519 AAAA\n"), Catch::Contains("is not a time"));
  CHECK_THAT(message("alice no-touch-required ssh-ed25519 AAAA\n"), Catch::Contains("'no-touch-required' is no option"));
}

TEST_CASE("parse_signer_time reads ssh-keygen's times") {
  CHECK(parse_signer_time("20210101Z") == 1609459200);
  CHECK(parse_signer_time("202101011230Z") == 1609459200 + 12 * 3600 + 30 * 60);
  CHECK(parse_signer_time("20210101123005Z") == 1609459200 + 12 * 3600 + 30 * 60 + 5);
  CHECK(parse_signer_time("20211301Z") == std::nullopt);
  CHECK(parse_signer_time("2021-01-01") == std::nullopt);
  CHECK(parse_signer_time("") == std::nullopt);
}

TEST_CASE("parse_ssh_signature finds the signing key and namespace in an SSHSIG block") {
  auto info = parse_ssh_signature(k_signature);
  REQUIRE(info);
  CHECK(info->key_type == "ssh-ed25519");
  CHECK(info->name_space == "git");
  CHECK(info->public_key == *decode_base64(k_other));
  CHECK(describe_ssh_key(info->public_key) == std::string("ssh-ed25519 ") + k_other);

  CHECK_FALSE(parse_ssh_signature("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"));
  CHECK_FALSE(parse_ssh_signature("-----BEGIN SSH SIGNATURE-----\n*\n-----END SSH SIGNATURE-----\n"));
  CHECK_FALSE(parse_ssh_signature("-----BEGIN PGP SIGNATURE-----\n"));
}
