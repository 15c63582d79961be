// For pushgate-pre-receive, which links libgit2 and its dependencies from
// their archives (cmake/static_libs.cmake) and reads only the local object
// database: libgit2's global init also prepares its network transports, and
// on every push that cost more than the rest of the hook's start. The
// linker's --wrap (core/CMakeLists.txt) sends libgit2's calls here instead:
// - mbedTLS's CA certificate loaders: Debian's libgit2 parses every CA
//   certificate on the system (~4 ms). None is trusted now, so a TLS
//   connection would fail, which is the safe way round.
// - libssh2_init, which sets up OpenSSL's engines and ciphers (~1 M
//   instructions). libssh2 initialises itself when a session is made.
// - HAVEGE, mbedTLS's timing-loop entropy source (~1 M instructions; gone
//   from mbedTLS 3): its bytes come from getrandom() instead, so the random
//   generator is still seeded from the kernel.
// And GSSAPI, which only libgit2's HTTP "Negotiate" authentication uses, is
// defined here as failing: libgit2 then offers no Kerberos authentication,
// and the six Kerberos libraries are neither linked nor loaded.

#include <sys/random.h>

#include <cstddef>
#include <cstring>

extern "C" {

struct mbedtls_x509_crt;

int __wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt*, const char*) { return 0; }
int __wrap_mbedtls_x509_crt_parse_path(mbedtls_x509_crt*, const char*) { return 0; }

int __wrap_libssh2_init(int) { return 0; }

// mbedtls_havege_state is only ever handed back to the poll below.
void __wrap_mbedtls_havege_init(void*) {}

int __wrap_mbedtls_havege_poll(void*, unsigned char* output, std::size_t len, std::size_t* olen) {
  std::size_t got = 0;
  while (got < len) {
    ssize_t n = ::getrandom(output + got, len - got, 0);
    if (n <= 0) return -1;  // MBEDTLS_ERR_ENTROPY_SOURCE_FAILED's caller treats any non-zero as failure
    got += static_cast<std::size_t>(n);
  }
  *olen = len;
  return 0;
}

// GSS-API (RFC 2744) with every call failing: GSS_S_FAILURE, no minor status.
using OM_uint32 = unsigned int;
constexpr OM_uint32 k_gss_failure = 13u << 16;
void* GSS_C_NT_HOSTBASED_SERVICE = nullptr;

OM_uint32 gss_indicate_mechs(OM_uint32* minor, void**) { return *minor = 0, k_gss_failure; }
OM_uint32 gss_import_name(OM_uint32* minor, void*, void*, void**) { return *minor = 0, k_gss_failure; }
OM_uint32 gss_init_sec_context(OM_uint32* minor, void*, void**, void*, void*, OM_uint32, OM_uint32, void*, void*,
                               void**, void*, OM_uint32*, OM_uint32*) {
  return *minor = 0, k_gss_failure;
}
OM_uint32 gss_delete_sec_context(OM_uint32* minor, void**, void*) { return *minor = 0, k_gss_failure; }
OM_uint32 gss_display_status(OM_uint32* minor, OM_uint32, int, void*, OM_uint32*, void*) {
  return *minor = 0, k_gss_failure;
}
OM_uint32 gss_release_buffer(OM_uint32* minor, void*) { return *minor = 0, k_gss_failure; }
OM_uint32 gss_release_name(OM_uint32* minor, void**) { return *minor = 0, k_gss_failure; }
OM_uint32 gss_release_oid_set(OM_uint32* minor, void**) { return *minor = 0, k_gss_failure; }

}
