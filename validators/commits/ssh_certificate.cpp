#include "validators/commits/ssh_certificate.hpp"

#include <array>
#include <utility>

#include "validators/commits/ssh_wire.hpp"

namespace pushgate {

namespace {

constexpr std::string_view k_cert_suffix = "-cert-v01@openssh.com";
constexpr std::uint32_t k_user_cert = 1;  // SSH2_CERT_TYPE_USER

// The public-key fields of each certificate type, between its nonce and its
// serial (PROTOCOL.certkeys): strings and mpints, both length-prefixed. Keyed
// by the type without its suffix: "sk-ssh-ed25519-cert-v01@openssh.com" is
// the certificate of an sk-ssh-ed25519@openssh.com key.
int key_fields(std::string_view type) {
  constexpr std::array<std::pair<std::string_view, int>, 8> k_fields{{
      {"ssh-ed25519", 1},             // pk
      {"ssh-rsa", 2},                 // e, n
      {"ecdsa-sha2-nistp256", 2},     // curve, public key
      {"ecdsa-sha2-nistp384", 2},
      {"ecdsa-sha2-nistp521", 2},
      {"ssh-dss", 4},                 // p, q, g, y
      {"sk-ssh-ed25519", 2},          // pk, application
      {"sk-ecdsa-sha2-nistp256", 3},  // curve, public key, application
  }};
  std::string_view base = type.substr(0, type.size() - k_cert_suffix.size());
  for (const auto& [name, fields] : k_fields)
    if (name == base) return fields;
  return -1;
}

std::optional<std::uint64_t> u64(WireReader& in) {
  auto high = in.u32();
  auto low = in.u32();
  if (!high || !low) return std::nullopt;
  return (std::uint64_t{*high} << 32) | *low;
}

}  // namespace

bool is_ssh_certificate(std::string_view type) { return type.ends_with(k_cert_suffix); }

std::optional<SshCertificate> read_ssh_certificate(std::string_view blob) {
  WireReader in(blob);
  auto type = in.string();
  if (!type || !is_ssh_certificate(*type)) return std::nullopt;
  int fields = key_fields(*type);
  if (fields < 0 || !in.string()) return std::nullopt;  // the nonce
  for (int i = 0; i < fields; ++i)
    if (!in.string()) return std::nullopt;
  auto serial = u64(in);
  auto cert_type = in.u32();
  auto key_id = in.string();
  auto principals = in.string();
  auto valid_after = u64(in);
  auto valid_before = u64(in);
  auto critical = in.string();
  auto extensions = in.string();
  auto reserved = in.string();
  auto ca_key = in.string();
  auto signature = in.string();
  if (!serial || !cert_type || !key_id || !principals || !valid_after || !valid_before || !critical ||
      !extensions || !reserved || !ca_key || !signature || !in.done())
    return std::nullopt;
  SshCertificate cert{std::string(*key_id), {}, *valid_after, *valid_before, *cert_type == k_user_cert,
                      std::string(*ca_key)};
  WireReader names(*principals);
  while (!names.done()) {
    auto name = names.string();
    if (!name) return std::nullopt;
    cert.principals.emplace_back(*name);
  }
  return cert;
}

}  // namespace pushgate
