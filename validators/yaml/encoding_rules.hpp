#pragma once
// Checks of a manifest's bytes, made before it is parsed: size, binary
// content, UTF-8, byte order mark, line endings and tabs in indentation.
// Columns count characters from the start of the line (after a byte order
// mark on the first line), as the YAML parser counts them.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/util/finding.hpp"
#include "validators/manifest.hpp"

namespace pushgate {

// Appends a [yaml.size] error when `size` exceeds `limit`
// (validate.limits.file_size). Returns true when the file may be read.
bool check_size(const ManifestEntry& entry, std::uint64_t size, std::uint64_t limit,
                std::vector<Finding>& out);

// Appends findings about the raw `bytes` of `entry`: [yaml.binary] (NUL
// byte; nothing else is checked then), [yaml.lfs-pointer] (a git LFS pointer
// file; nothing else is checked, and it is not parsed), [yaml.utf8],
// [yaml.bom], [yaml.crlf], and [yaml.tabs] (a warning) for files not named *.json.
// Returns true when the bytes may be given to the YAML parser (text that is
// valid UTF-8).
bool check_bytes(const ManifestEntry& entry, std::string_view bytes, std::vector<Finding>& out);

}  // namespace pushgate
