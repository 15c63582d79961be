#include "validators/commits/ssh_public_key.hpp"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/err.h>

#include <array>

#include "validators/commits/ssh_wire.hpp"

namespace pushgate {

namespace {

// OpenSSH's SSH_RSA_MINIMUM_MODULUS_SIZE: smaller keys are refused outright.
constexpr int k_min_rsa_bits = 1024;

struct Curve {
  std::string_view type;   // the key type
  std::string_view name;   // the curve as the key blob names it
  const char* group;       // OpenSSL's name
  std::size_t field_bytes;
  const EVP_MD* (*hash)();
};

constexpr std::array<Curve, 3> k_curves{{
    {"ecdsa-sha2-nistp256", "nistp256", "P-256", 32, EVP_sha256},
    {"ecdsa-sha2-nistp384", "nistp384", "P-384", 48, EVP_sha384},
    {"ecdsa-sha2-nistp521", "nistp521", "P-521", 66, EVP_sha512},
}};

Error bad_key(std::string_view type, std::string_view why) {
  return Error{ErrorCode::input, fmt::format("its {} public key is {}", type, why)};
}

// A key from `params` (OSSL_PKEY_PARAM_*), of OpenSSL algorithm `algorithm`;
// null when libcrypto refuses it (a point off the curve).
EvpPkeyPtr key_from(const char* algorithm, OSSL_PARAM* params) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, algorithm, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return EvpPkeyPtr(raw);
}

Expected<SshPublicKey> ed25519_key(std::string_view type, WireReader& in) {
  auto point = in.string();
  if (!point || !in.done() || point->size() != 32) return bad_key(type, "malformed");
  // By name, from the providers: the numeric form first searches the legacy
  // ENGINE tables, a third of OpenSSL's start in a hook that checks one key.
  EvpPkeyPtr key(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr,
                                                reinterpret_cast<const unsigned char*>(point->data()), point->size()));
  if (!key) {
    ERR_clear_error();
    return bad_key(type, "not an Ed25519 key");
  }
  return SshPublicKey{SshKeyKind::ed25519, std::string(type), nullptr, std::move(key)};
}

Expected<SshPublicKey> ecdsa_key(const Curve& curve, WireReader& in) {
  auto name = in.string();
  auto point = in.string();
  if (!name || !point || !in.done()) return bad_key(curve.type, "malformed");
  if (*name != curve.name) return bad_key(curve.type, fmt::format("on curve '{}', not {}", *name, curve.name));
  // OpenSSH reads only uncompressed points: 0x04, then x and y.
  if (point->size() != 1 + 2 * curve.field_bytes || point->front() != '\x04')
    return bad_key(curve.type, "not an uncompressed point");
  std::string point_bytes(*point);
  std::array<OSSL_PARAM, 3> params{
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(curve.group), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point_bytes.data(), point_bytes.size()),
      OSSL_PARAM_construct_end()};
  EvpPkeyPtr key = key_from("EC", params.data());
  if (!key) return bad_key(curve.type, "not a point on its curve");
  return SshPublicKey{SshKeyKind::ecdsa, std::string(curve.type), curve.hash(), std::move(key)};
}

Expected<SshPublicKey> rsa_key(std::string_view type, WireReader& in) {
  auto e = in.mpint();
  auto n = in.mpint();
  if (!e || !n || !in.done()) return bad_key(type, "malformed");
  BignumPtr e_bn = bignum_from(*e), n_bn = bignum_from(*n);
  if (!e_bn || !n_bn) throw Failure(ErrorCode::internal, "libcrypto cannot allocate a number");
  if (int bits = BN_num_bits(n_bn.get()); bits < k_min_rsa_bits)
    return bad_key(type, fmt::format("{} bits, under the {} that ssh-keygen accepts", bits, k_min_rsa_bits));
  ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (!build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n_bn.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e_bn.get()) != 1)
    throw Failure(ErrorCode::internal, "libcrypto cannot build the parameters of an RSA key");
  ParamsPtr params(OSSL_PARAM_BLD_to_param(build.get()));
  EvpPkeyPtr key = params ? key_from("RSA", params.get()) : nullptr;
  if (!key) return bad_key(type, "refused by libcrypto");
  return SshPublicKey{SshKeyKind::rsa, std::string(type), nullptr, std::move(key)};
}

}  // namespace

Expected<std::optional<SshPublicKey>> read_ssh_public_key(std::string_view blob) {
  WireReader in(blob);
  auto type = in.string();
  if (!type) return Error{ErrorCode::input, "its public key has no type"};
  auto found = [](Expected<SshPublicKey> key) -> Expected<std::optional<SshPublicKey>> {
    if (!key) return key.error();
    return std::optional<SshPublicKey>(std::move(*key));
  };
  if (*type == "ssh-ed25519") return found(ed25519_key(*type, in));
  if (*type == "ssh-rsa") return found(rsa_key(*type, in));
  for (const Curve& curve : k_curves)
    if (*type == curve.type) return found(ecdsa_key(curve, in));
  return std::optional<SshPublicKey>();
}

}  // namespace pushgate
