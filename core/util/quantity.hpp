#pragma once
// Sizes and durations as administrators write them: `1MiB`, `512KiB`, `2MB`,
// `4096`; `10s`, `500ms`, `5m`, `1h`.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pushgate {

// Bytes, or nullopt when `text` is not a size.
std::optional<std::uint64_t> parse_size(std::string_view text);

// A duration, or nullopt when `text` is not one. A bare number is seconds.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace pushgate
