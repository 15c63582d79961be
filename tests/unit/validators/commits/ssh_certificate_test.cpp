#include <catch2/catch.hpp>

#include "core/util/base64.hpp"
#include "validators/commits/ssh_certificate.hpp"
#include "tests/unit/validators/commits/signing_fixture.hpp"

using namespace pushgate;
using pushgate::test::SigningRepo;

TEST_CASE("read_ssh_certificate reads what ssh-keygen -s wrote, for each key type, and refuses broken blobs") {
  if (auto missing = SigningRepo::missing_tools(); !missing.empty()) {
    WARN("skipped: " << missing);
    return;
  }
  SigningRepo repo;
  std::string ca = repo.ssh_key("ca");
  auto certificate = [&](const std::string& name) {
    std::string line = repo.sh("cut -d' ' -f2 '" + (repo.tmp() / name).string() + "-cert.pub'");
    return decode_base64(line).value();
  };
  for (const char* type : {"-t ed25519", "-t rsa -b 2048", "-t ecdsa -b 384", "-t dsa"}) {
    CAPTURE(type);
    repo.ssh_key("user", type);
    repo.ssh_certify("user", "ca", "-I 'user key' -n alice@example.com,bob@example.com -V 20200101Z:20300101Z");
    std::string blob = certificate("user");
    auto cert = read_ssh_certificate(blob);
    REQUIRE(cert);
    CHECK(cert->key_id == "user key");
    CHECK(cert->principals == std::vector<std::string>{"alice@example.com", "bob@example.com"});
    CHECK(cert->valid_after == 1577836800);
    CHECK(cert->valid_before == 1893456000);
    CHECK(cert->user);
    CHECK(cert->ca_key == decode_base64(ca.substr(ca.find(' ') + 1)).value());
    CHECK_FALSE(read_ssh_certificate(blob.substr(0, blob.size() - 1)));
    CHECK_FALSE(read_ssh_certificate(blob + "x"));
    repo.sh("rm -f '" + (repo.tmp() / "user").string() + "' '" + (repo.tmp() / "user").string() + "'*.pub");
  }
  repo.ssh_key("host");
  repo.ssh_certify("host", "ca", "-h -I host.example.com -n host.example.com");
  auto host = read_ssh_certificate(certificate("host"));
  REQUIRE(host);
  CHECK_FALSE(host->user);
  CHECK(host->valid_before == UINT64_MAX);
  CHECK_FALSE(read_ssh_certificate(decode_base64(ca.substr(ca.find(' ') + 1)).value()));  // a key, no certificate
}
