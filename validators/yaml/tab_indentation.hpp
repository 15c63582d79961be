#pragma once
// Finds tabs used for indentation in YAML text. YAML allows only spaces
// there, and parsers report such tabs with messages that do not mention them
// ("illegal map value"). Tabs are fine inside block scalar text, quoted
// scalars, flow collections (JSON style) and before comments, so a light
// line scanner tracks those; it does not parse YAML.

#include <cstddef>
#include <string_view>

namespace pushgate {

struct TabIndentation {
  static constexpr std::size_t k_none = std::string_view::npos;
  std::size_t first = k_none;  // byte offset of the first tab found in indentation
  std::size_t lines = 0;       // how many lines have one
};

// Scans `text` (UTF-8, no byte order mark). Linear in its size.
TabIndentation find_tab_indentation(std::string_view text);

}  // namespace pushgate
