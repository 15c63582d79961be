#include "validators/commits/ssh_signature.hpp"

#include <fmt/format.h>

#include "core/util/base64.hpp"
#include "validators/commits/ssh_wire.hpp"

namespace pushgate {

namespace {

constexpr std::string_view k_begin = "-----BEGIN SSH SIGNATURE-----";
constexpr std::string_view k_end = "-----END SSH SIGNATURE-----";
constexpr std::string_view k_magic = "SSHSIG";

Error malformed(std::string_view why) {
  return Error{ErrorCode::input, fmt::format("the SSH signature is malformed: {}", why)};
}

}  // namespace

Expected<SshSignatureInfo> parse_ssh_signature(std::string_view armored) {
  std::size_t begin = armored.find(k_begin);
  std::size_t end = armored.find(k_end);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin)
    return malformed("no BEGIN/END SSH SIGNATURE lines");
  std::string_view body = armored.substr(begin + k_begin.size(), end - begin - k_begin.size());
  auto blob = decode_base64(body);
  if (!blob) return malformed("its body is not base64");
  if (!std::string_view(*blob).starts_with(k_magic)) return malformed("it does not start with SSHSIG");
  WireReader in(std::string_view(*blob).substr(k_magic.size()));
  auto version = in.u32();
  auto key = in.string();
  auto name_space = in.string();
  auto reserved = in.string();
  auto hash_alg = in.string();
  auto signature = in.string();
  if (!version || !key || !name_space || !reserved || !hash_alg || !signature) return malformed("it is cut short");
  if (!in.done()) return malformed("it has trailing data");
  if (*version != 1) return malformed(fmt::format("version {} is not 1", *version));
  auto type = WireReader(*key).string();
  if (!type) return malformed("its public key has no type");
  return SshSignatureInfo{std::string(*key), std::string(*type), std::string(*name_space), std::string(*hash_alg),
                          std::string(*signature)};
}

std::string describe_ssh_key(std::string_view blob) {
  auto type = WireReader(blob).string();
  std::string key = encode_base64(blob);
  if (key.size() > 100) key = key.substr(0, 40) + "..." + key.substr(key.size() - 24);
  return fmt::format("{} {}", type.value_or("?"), key);
}

}  // namespace pushgate
