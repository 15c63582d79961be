#include "core/util/base64.hpp"

#include <array>

namespace pushgate {

namespace {

constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<signed char, 256> k_values = [] {
  std::array<signed char, 256> v{};
  v.fill(-1);
  for (std::size_t i = 0; i < k_alphabet.size(); ++i) v[static_cast<unsigned char>(k_alphabet[i])] = static_cast<signed char>(i);
  return v;
}();

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  std::string out;
  unsigned bits = 0;
  int count = 0;
  std::size_t padding = 0;
  for (char c : text) {
    if (c == '\n' || c == '\r') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    int value = k_values[static_cast<unsigned char>(c)];
    if (value < 0 || padding > 0) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(value);
    if (++count == 4) {
      out += static_cast<char>((bits >> 16) & 0xff);
      out += static_cast<char>((bits >> 8) & 0xff);
      out += static_cast<char>(bits & 0xff);
      bits = 0;
      count = 0;
    }
  }
  // Leftover sextets: 2 give one byte, 3 give two; padding must complete the quad.
  if (count == 1 || (count > 0 && padding != static_cast<std::size_t>(4 - count)) || (count == 0 && padding > 0))
    return std::nullopt;
  if (count == 2) out += static_cast<char>((bits >> 4) & 0xff);
  if (count == 3) {
    out += static_cast<char>((bits >> 10) & 0xff);
    out += static_cast<char>((bits >> 2) & 0xff);
  }
  return out;
}

std::string encode_base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::size_t left = bytes.size() - i;
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (left > 1) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (left > 2) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += left > 1 ? k_alphabet[(n >> 6) & 63] : '=';
    out += left > 2 ? k_alphabet[n & 63] : '=';
  }
  return out;
}

}  // namespace pushgate
