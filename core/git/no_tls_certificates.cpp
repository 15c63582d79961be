// The pre-receive hook and the pushgate CLI read only local object databases
// and never open a TLS connection, yet Debian's libgit2 (built with mbedTLS)
// parses every CA certificate on the system in git_libgit2_init: about 4 ms of
// each push, and a twentieth of `pushgate validate` on 3,000 manifests.
// Linked into an executable (the object library pushgate_no_tls_certificates),
// these two take the place of mbedTLS's own loaders for libgit2, so nothing is
// parsed. A TLS connection would then trust no certificate and fail, which is
// the safe way round. With a libgit2 built against another TLS library they
// are simply never called.

extern "C" {

struct mbedtls_x509_crt;

int mbedtls_x509_crt_parse_file(mbedtls_x509_crt*, const char*) { return 0; }
int mbedtls_x509_crt_parse_path(mbedtls_x509_crt*, const char*) { return 0; }

}
