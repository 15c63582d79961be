#include "validators/commits/sshsig_verify.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

#include <optional>
#include <string>
#include <variant>

#include "validators/commits/ssh_public_key.hpp"
#include "validators/commits/ssh_wire.hpp"
#include "validators/crypto_digest.hpp"

namespace pushgate {

namespace {

// What libcrypto is given to check: the signature in its encoding (raw for
// Ed25519 and RSA, DER for ECDSA) and the hash the signature was made over.
struct RawSignature {
  std::string bytes;
  const EVP_MD* hash = nullptr;  // nullptr for Ed25519, which hashes itself
};

SshsigVerdict bad(std::string why) { return {SshsigResult::bad, std::move(why)}; }

void put_string(std::string& out, std::string_view s) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((s.size() >> shift) & 0xff);
  out += s;
}

// PROTOCOL.sshsig: what the key signed. The reserved field is empty whatever
// the signature carries, as in ssh-keygen.
std::string signed_message(std::string_view name_space, std::string_view hash_alg, std::string_view hashed) {
  std::string out = "SSHSIG";
  put_string(out, name_space);
  put_string(out, "");
  put_string(out, hash_alg);
  put_string(out, hashed);
  return out;
}

// An ECDSA signature (mpint r, mpint s; RFC 5656 3.1.2) as DER, which
// libcrypto checks.
std::optional<std::string> ecdsa_der(std::string_view blob) {
  WireReader in(blob);
  auto r = in.mpint();
  auto s = in.mpint();
  if (!r || !s || !in.done()) return std::nullopt;
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BignumPtr r_bn = bignum_from(*r), s_bn = bignum_from(*s);
  if (!sig || !r_bn || !s_bn || ECDSA_SIG_set0(sig.get(), r_bn.get(), s_bn.get()) != 1)
    throw Failure(ErrorCode::internal, "libcrypto cannot hold an ECDSA signature");
  r_bn.release();  // owned by sig now
  s_bn.release();
  unsigned char* der = nullptr;
  int size = i2d_ECDSA_SIG(sig.get(), &der);
  OpensslBytesPtr owned(der);
  if (size <= 0) throw Failure(ErrorCode::internal, "libcrypto cannot encode an ECDSA signature");
  return std::string(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
}

// The signature blob (string type, string bytes) of `key`, as ssh-keygen
// 9.2 reads it (sshkey_verify), or why it refuses it.
std::variant<RawSignature, SshsigVerdict> raw_signature(const SshPublicKey& key, std::string_view blob) {
  WireReader in(blob);
  auto type = in.string();
  auto bytes = in.string();
  if (!type || !bytes || !in.done()) return bad("its signature blob is malformed");
  switch (key.kind) {
    case SshKeyKind::ed25519:
      if (*type != key.type || bytes->size() != 64) break;
      return RawSignature{std::string(*bytes), nullptr};
    case SshKeyKind::ecdsa: {
      if (*type != key.type) break;
      auto der = ecdsa_der(*bytes);
      if (!der) return bad("its ECDSA signature is malformed");
      return RawSignature{std::move(*der), key.curve_hash};
    }
    case SshKeyKind::rsa: {
      if (*type == "ssh-rsa")
        return bad("it is an ssh-rsa (SHA-1) signature, which ssh-keygen refuses; sign with rsa-sha2-512 "
                   "(OpenSSH 8.2 or later does)");
      const EVP_MD* hash = *type == "rsa-sha2-512" ? EVP_sha512() : *type == "rsa-sha2-256" ? EVP_sha256() : nullptr;
      if (!hash) break;
      // libcrypto wants exactly the modulus' size; OpenSSH pads shorter ones.
      auto size = static_cast<std::size_t>(EVP_PKEY_get_size(key.key.get()));
      if (bytes->size() > size) return bad("its RSA signature is longer than the key's modulus");
      return RawSignature{std::string(size - bytes->size(), '\0') + std::string(*bytes), hash};
    }
  }
  return bad(fmt::format("its signature of type '{}' does not fit its {} key", *type, key.type));
}

}  // namespace

SshsigVerdict verify_sshsig(const SshSignatureInfo& signature, std::string_view name_space, std::string_view data) {
  auto key = read_ssh_public_key(signature.public_key);
  if (!key) return bad(key.error().message);
  if (!*key) return {SshsigResult::unsupported, ""};
  if (signature.name_space != name_space)
    return bad(fmt::format("it was signed for namespace '{}', not for {}", signature.name_space, name_space));
  // ssh-keygen's HASHALG_ALLOWED.
  const EVP_MD* data_hash = signature.hash_alg == "sha512"   ? EVP_sha512()
                            : signature.hash_alg == "sha256" ? EVP_sha256()
                                                             : nullptr;
  if (!data_hash) return bad(fmt::format("its hash algorithm '{}' is neither sha256 nor sha512", signature.hash_alg));
  auto raw = raw_signature(**key, signature.signature);
  if (auto* verdict = std::get_if<SshsigVerdict>(&raw)) return *verdict;
  const RawSignature& sig = std::get<RawSignature>(raw);

  std::string message = signed_message(name_space, signature.hash_alg, crypto_digest(data_hash, data));
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) throw Failure(ErrorCode::internal, "libcrypto cannot allocate a digest context");
  int verified = EVP_DigestVerifyInit(ctx.get(), nullptr, sig.hash, nullptr, (*key)->key.get()) == 1
                     ? EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.bytes.data()),
                                        sig.bytes.size(), reinterpret_cast<const unsigned char*>(message.data()),
                                        message.size())
                     : -1;
  ERR_clear_error();
  if (verified == 1) return {SshsigResult::good, ""};
  return bad(fmt::format("the {} signature does not match the signed content", (*key)->type));
}

}  // namespace pushgate
