#pragma once
// Owners of the libcrypto (OpenSSL 3) handles that the in-process signature
// checks use: each is freed with its own function when it goes out of scope.

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <string_view>

namespace pushgate {

struct OpensslFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpensslFree>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpensslFree>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpensslFree>;
using BignumPtr = std::unique_ptr<BIGNUM, OpensslFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpensslFree>;
using ParamBuildPtr = std::unique_ptr<OSSL_PARAM_BLD, OpensslFree>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, OpensslFree>;
using OpensslBytesPtr = std::unique_ptr<unsigned char, OpensslFree>;

// The number whose big-endian magnitude is `bytes`; null when out of memory.
inline BignumPtr bignum_from(std::string_view bytes) {
  return BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

}  // namespace pushgate
