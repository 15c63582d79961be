#pragma once
// The `{name}` placeholders an administrator writes in commands and URLs of
// pushgate.yaml, replaced when a step runs.

#include <string>
#include <string_view>

namespace pushgate {

// The release folder a step runs for.
inline constexpr std::string_view k_release_placeholder = "{release}";
// The host a step runs for (deployers with several hosts).
inline constexpr std::string_view k_host_placeholder = "{host}";

// `text` with every `placeholder` replaced by `value`; `value` is not
// searched again, so a value holding the placeholder stays as it is.
std::string replace_placeholder(std::string text, std::string_view placeholder, std::string_view value);

}  // namespace pushgate
