#pragma once
// Made-up secrets in the formats the scanner knows, built at run time so
// that no token-shaped literal sits in the sources for other scanners to
// flag. Deterministic: the same call gives the same value.

#include <cstdint>
#include <string>
#include <string_view>

namespace pushgate::test {

inline constexpr std::string_view k_alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view k_upper_digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
inline constexpr std::string_view k_base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// `prefix` and `n` characters of `alphabet`, pseudo-random, seeded by `seed`.
inline std::string fake_token(std::string_view prefix, std::size_t n, std::string_view alphabet = k_alnum,
                              std::uint32_t seed = 1) {
  std::string out(prefix);
  std::uint64_t state = 0x9E3779B97F4A7C15ull * (seed + prefix.size() + n);
  for (std::size_t i = 0; i < n; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    out.push_back(alphabet[(state >> 33) % alphabet.size()]);
  }
  return out;
}

inline std::string base64url(std::string_view in) {
  static constexpr std::string_view k_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : in) {
    bits = bits << 8 | c;
    count += 8;
    while (count >= 6) out.push_back(k_chars[(bits >> (count -= 6)) & 63]);
  }
  if (count > 0) out.push_back(k_chars[(bits << (6 - count)) & 63]);
  return out;
}

// "ASIA", "ghp_", ... spelt in two parts, for the same reason.
inline std::string join(std::string_view a, std::string_view b) { return std::string(a) + std::string(b); }

inline std::string fake_aws_key_id() { return fake_token(join("AK", "IA"), 16, k_upper_digits); }
inline std::string fake_jwt() {
  return base64url(R"({"alg":"HS256","typ":"JWT"})") + "." + base64url(R"({"sub":"1234567890","name":"x"})") + "." +
         fake_token("", 43, k_alnum);
}
inline std::string fake_private_key() {
  std::string block = join("-----BEGIN RSA PRIVATE", " KEY-----\n");
  for (int i = 0; i < 4; ++i) block += fake_token("", 64, k_base64, i) + "\n";
  return block + "-----END RSA PRIVATE KEY-----\n";
}

}  // namespace pushgate::test
