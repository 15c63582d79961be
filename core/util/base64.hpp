#pragma once
// Standard base64 (RFC 4648, with padding), as in ssh keys and signatures.

#include <optional>
#include <string>
#include <string_view>

namespace pushgate {

// The bytes `text` encodes; line breaks are skipped. nullopt when `text`
// holds another character or padding in the wrong place.
std::optional<std::string> decode_base64(std::string_view text);

// `bytes` in base64, padded, on one line.
std::string encode_base64(std::string_view bytes);

}  // namespace pushgate
