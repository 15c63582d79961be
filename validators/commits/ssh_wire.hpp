#pragma once
// Reading the SSH wire format (RFC 4251 section 5) of keys and signatures:
// big-endian uint32, length-prefixed strings and mpints.

#include <cstdint>
#include <optional>
#include <string_view>

namespace pushgate {

class WireReader {
 public:
  explicit WireReader(std::string_view data) : m_data(data) {}

  // Each read consumes its field; nullopt when the data is cut short.
  std::optional<std::uint32_t> u32() {
    if (m_data.size() < 4) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(m_data[i]);
    m_data.remove_prefix(4);
    return v;
  }
  std::optional<std::string_view> string() {
    auto size = u32();
    if (!size || *size > m_data.size()) return std::nullopt;
    std::string_view out = m_data.substr(0, *size);
    m_data.remove_prefix(*size);
    return out;
  }
  // A non-negative mpint's magnitude, big-endian, without leading zeros.
  // nullopt, as OpenSSH's sshbuf_get_bignum2, for a negative one or one of
  // more than 16384 bits.
  std::optional<std::string_view> mpint() {
    auto bytes = string();
    if (!bytes) return std::nullopt;
    if (!bytes->empty() && (static_cast<unsigned char>(bytes->front()) & 0x80) != 0) return std::nullopt;
    while (!bytes->empty() && bytes->front() == '\0') bytes->remove_prefix(1);
    if (bytes->size() > k_max_mpint_bytes) return std::nullopt;
    return bytes;
  }
  // Whether everything was read: OpenSSH refuses trailing data.
  bool done() const { return m_data.empty(); }

 private:
  static constexpr std::size_t k_max_mpint_bytes = 16384 / 8;
  std::string_view m_data;
};

}  // namespace pushgate
