#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>

#include "core/util/base64.hpp"
#include "validators/commits/signature_verifier.hpp"
#include "validators/commits/ssh_signature.hpp"
#include "validators/commits/ssh_wire.hpp"
#include "tests/unit/validators/commits/signing_fixture.hpp"

using namespace pushgate;
using pushgate::test::SigningRepo;

namespace {

// Records the tools a verifier runs, each ending with exit 0, and the
// allowed-signers file (-f) as the tool would have read it.
class RecordingRunner : public ProcessRunner {
 public:
  std::vector<ProcessSpec> calls;
  std::string allowed_signers_read;

  ProcessResult run(const ProcessSpec& spec, const LineSink&) override {
    calls.push_back(spec);
    ProcessResult ok;
    ok.exit_code = 0;
    return ok;
  }
  ProcessResult run_with_input(const ProcessSpec& spec, const std::filesystem::path&, const LineSink& output) override {
    auto f = std::find(spec.argv.begin(), spec.argv.end(), "-f");
    if (f != spec.argv.end() && f + 1 != spec.argv.end()) allowed_signers_read = test::slurp(*(f + 1));
    return run(spec, output);
  }
};

// An SSH wire-format string.
std::string wire(std::string_view s) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((s.size() >> shift) & 0xff);
  return out + std::string(s);
}

// The armored SSHSIG block of `sig`'s fields, as ssh-keygen writes it.
std::string armor(const SshSignatureInfo& sig) {
  std::string blob = "SSHSIG" + std::string("\0\0\0\1", 4) + wire(sig.public_key) + wire(sig.name_space) + wire("") +
                     wire(sig.hash_alg) + wire(sig.signature);
  return "-----BEGIN SSH SIGNATURE-----\n" + encode_base64(blob) + "\n-----END SSH SIGNATURE-----\n";
}

// `armored` with one bit of its signature bytes flipped.
std::string corrupted(const std::string& armored) {
  SshSignatureInfo sig = parse_ssh_signature(armored).value();
  sig.signature.back() ^= 0x01;
  return armor(sig);
}

// `armored` (an RSA one) relabelled as an ssh-rsa (SHA-1) signature.
std::string as_sha1(const std::string& armored) {
  SshSignatureInfo sig = parse_ssh_signature(armored).value();
  WireReader in(sig.signature);
  in.string();
  sig.signature = wire("ssh-rsa") + wire(in.string().value());
  return armor(sig);
}

// Points the temporary folder (TMPDIR) at `path` while it lives.
class TmpdirGuard {
 public:
  explicit TmpdirGuard(const std::filesystem::path& path) {
    if (const char* old = ::getenv("TMPDIR")) m_old = old;
    std::filesystem::create_directories(path);
    ::setenv("TMPDIR", path.c_str(), 1);
  }
  ~TmpdirGuard() {
    if (m_old) ::setenv("TMPDIR", m_old->c_str(), 1);
    else ::unsetenv("TMPDIR");
  }

 private:
  std::optional<std::string> m_old;
};

std::size_t entries(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

}  // namespace

TEST_CASE("SSH signatures checked in-process get ssh-keygen -Y verify's verdict, for keys of every type") {
  if (auto missing = SigningRepo::missing_tools(); !missing.empty()) {
    WARN("skipped: " << missing);
    return;
  }
  auto [type, options] = GENERATE(table<std::string, std::string>({{"ed25519", "-t ed25519"},
                                                                   {"ecdsa-256", "-t ecdsa -b 256"},
                                                                   {"ecdsa-384", "-t ecdsa -b 384"},
                                                                   {"ecdsa-521", "-t ecdsa -b 521"},
                                                                   {"rsa", "-t rsa -b 2048"}}));
  SigningRepo repo;
  auto file = [&](const std::string& name) { return (repo.tmp() / name).string(); };
  std::string signer = repo.ssh_key("signer", options), other = repo.ssh_key("other", options);
  REQUIRE(signer.find(' ') != std::string::npos);
  std::string data = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor T <t@example.invalid> 1700000000 +0000\n"
                     "committer T <t@example.invalid> 1700000000 +0000\n\nScale web to 3 replicas\n";
  std::string changed = data;
  changed[changed.size() - 12] = '4';
  test::spit(file("data"), data);
  test::spit(file("changed"), changed);
  test::spit(file("allowed_signer"), "alice@example.com " + signer + "\n");
  test::spit(file("allowed_other"), "alice@example.com " + other + "\n");
  auto sign = [&](const std::string& key, const std::string& name_space) {
    return repo.sh("ssh-keygen -Y sign -f '" + file(key) + "' -n " + name_space + " < '" + file("data") + "'") + "\n";
  };
  std::string good = sign("signer", "git");
  REQUIRE_THAT(good, Catch::StartsWith("-----BEGIN SSH SIGNATURE-----"));

  struct Case {
    const char* what;
    std::string signature, data, allowed;
    bool accepted;
    std::string why;  // in our verdict's detail when refused
  };
  std::vector<Case> cases{
      {"a good signature", good, "data", "allowed_signer", true, "alice@example.com"},
      {"the data changed by one byte", good, "changed", "allowed_signer", false, "does not match the signed content"},
      {"the signature blob corrupted", corrupted(good), "data", "allowed_signer", false,
       "does not match the signed content"},
      {"another namespace", sign("signer", "file"), "data", "allowed_signer", false, "namespace 'file'"},
      {"a key not in the file", good, "data", "allowed_other", false, "not in the allowed signers"},
      {"another key of the same type", sign("other", "git"), "data", "allowed_signer", false,
       "not in the allowed signers"},
  };
  if (type == "rsa") cases.push_back({"an ssh-rsa (SHA-1) signature", as_sha1(good), "data", "allowed_signer", false, "SHA-1"});

  for (const Case& c : cases) {
    INFO(type << ": " << c.what);
    test::spit(file("sig"), c.signature);
    bool theirs = repo.sh("ssh-keygen -Y verify -f '" + file(c.allowed) + "' -I alice@example.com -n git -s '" +
                          file("sig") + "' < '" + file(c.data) + "' >/dev/null && echo accepted") == "accepted";
    SignatureRule rule;
    rule.allowed_signers = file(c.allowed);
    auto keys = SignerKeys::load(rule, ::geteuid()).value();
    RecordingRunner runner;
    SignatureVerifier verifier(*keys, runner);
    SignatureVerdict ours = verifier.verify({SignatureFormat::ssh, c.signature, test::slurp(file(c.data))}, 0);
    CHECK(theirs == c.accepted);
    CHECK((ours.status == SignatureStatus::good) == theirs);
    CHECK_THAT(ours.detail, Catch::Contains(c.why));
    CHECK(runner.calls.empty());
  }
}

TEST_CASE("SSH key types left to ssh-keygen are checked by it, on a private copy made only then") {
  test::TempDir tmp;
  TmpdirGuard tmpdir(tmp / "tmp");
  std::string fido = wire("sk-ssh-ed25519@openssh.com") + wire(std::string(32, '\x07')) + wire("ssh:");
  std::string plain = wire("ssh-ed25519") + wire(std::string(32, '\x09'));
  std::string text = "alice@example.com sk-ssh-ed25519@openssh.com " + encode_base64(fido) +
                     "\nbob@example.com ssh-ed25519 " + encode_base64(plain) + "\n";
  test::spit(tmp / "allowed_signers", text);
  SignatureRule rule;
  rule.allowed_signers = (tmp / "allowed_signers").string();
  auto keys = SignerKeys::load(rule, ::geteuid()).value();
  RecordingRunner runner;
  SignatureVerifier verifier(*keys, runner);
  auto signed_by = [](const std::string& key, const std::string& type) {
    return armor({key, type, "git", "sha512", wire(type) + wire(std::string(64, '\x02'))});
  };

  SignatureVerdict in_process = verifier.verify({SignatureFormat::ssh, signed_by(plain, "ssh-ed25519"), "data"}, 0);
  CHECK(in_process.status == SignatureStatus::bad);
  CHECK(runner.calls.empty());
  CHECK(entries(tmp / "tmp") == 0);

  SignatureVerdict by_tool =
      verifier.verify({SignatureFormat::ssh, signed_by(fido, "sk-ssh-ed25519@openssh.com"), "data"}, 0);
  CHECK(by_tool.status == SignatureStatus::good);
  CHECK(by_tool.detail == "alice@example.com");
  REQUIRE(runner.calls.size() == 1);
  CHECK_THAT(runner.calls[0].argv, Catch::VectorContains(std::string("ssh-keygen")) &&
                                       Catch::VectorContains(std::string("alice@example.com")));
  CHECK(runner.allowed_signers_read == text);
  CHECK(entries(tmp / "tmp") == 1);
  keys.reset();
  CHECK(entries(tmp / "tmp") == 0);
}
