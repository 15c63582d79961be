#pragma once
// The signature a commit carries, as git writes it into the commit's
// `gpgsig` header, and the bytes it signs.

#include <git2.h>

#include <string>

#include "core/util/error.hpp"

namespace pushgate {

enum class SignatureFormat { none, ssh, openpgp, x509, unknown };

struct CommitSignature {
  SignatureFormat format = SignatureFormat::none;
  std::string signature;    // the armored block; "" for none
  std::string signed_data;  // the commit without its signature header
};

// Extracts the signature of commit `id` with libgit2 (the `gpgsig` header,
// or `gpgsig-sha256` of a SHA-256 repository). format none when it has
// none. Errors (ErrorCode::git) name the commit when it cannot be read.
Expected<CommitSignature> extract_signature(git_repository* repo, const git_oid& id);

// The format an armored signature block is written in.
SignatureFormat signature_format(std::string_view armored);

// "an SSH", "an OpenPGP", "an X.509 (gpgsm)", "an unknown kind of": for messages.
const char* describe(SignatureFormat format);

}  // namespace pushgate
