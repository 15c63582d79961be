#include "validators/commits/commit_signature.hpp"

#include <fmt/format.h>

#include <memory>

#include "core/git/git.hpp"

namespace pushgate {

namespace {

struct Buf {
  git_buf buf = GIT_BUF_INIT;
  ~Buf() { git_buf_dispose(&buf); }
  std::string str() const { return std::string(buf.ptr ? buf.ptr : "", buf.size); }
};

}  // namespace

SignatureFormat signature_format(std::string_view armored) {
  if (armored.starts_with("-----BEGIN SSH SIGNATURE-----")) return SignatureFormat::ssh;
  if (armored.starts_with("-----BEGIN PGP SIGNATURE-----") || armored.starts_with("-----BEGIN PGP MESSAGE-----"))
    return SignatureFormat::openpgp;
  if (armored.starts_with("-----BEGIN SIGNED MESSAGE-----")) return SignatureFormat::x509;
  return SignatureFormat::unknown;
}

const char* describe(SignatureFormat format) {
  switch (format) {
    case SignatureFormat::ssh: return "an SSH";
    case SignatureFormat::openpgp: return "an OpenPGP";
    case SignatureFormat::x509: return "an X.509 (gpgsm)";
    case SignatureFormat::none:
    case SignatureFormat::unknown: break;
  }
  return "an unknown kind of";
}

Expected<CommitSignature> extract_signature(git_repository* repo, const git_oid& id) {
  git_oid copy = id;
  for (const char* field : {"gpgsig", "gpgsig-sha256"}) {
    Buf signature, data;
    int rc = git_commit_extract_signature(&signature.buf, &data.buf, repo, &copy, field);
    if (rc == 0) {
      CommitSignature out{SignatureFormat::none, signature.str(), data.str()};
      out.format = signature_format(out.signature);
      return out;
    }
    if (rc != GIT_ENOTFOUND) return git::git_failure(fmt::format("cannot read the signature of commit {}", git::to_hex(id)));
  }
  // Not signed; but first make sure that it is a commit at all.
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo, &id) < 0)
    return git::git_failure(fmt::format("cannot read commit {}", git::to_hex(id)));
  git_commit_free(raw);
  return CommitSignature{};
}

}  // namespace pushgate
