#pragma once
// The value of a literal block scalar (`|`, `|-`) read straight from the
// text. libfyaml formats block scalars a character at a time (about twenty
// instructions a byte, the bulk of loading a ConfigMap); the common shape,
// with its indentation found from its first line, is simple to read here.
// Anything else (an indentation indicator, `|+`, a comment on the header,
// tabs or carriage returns, spaces-only lines deeper than the content) is
// left to libfyaml.

#include <cstddef>
#include <string>
#include <string_view>

namespace pushgate::yaml {

// Reads the literal block scalar whose content lines are [begin, end) of
// `text` (libfyaml's token range: from the line after the header) into
// `out`. Returns false, with `out` unspecified, when the scalar is not of
// the common shape.
bool read_literal_block(std::string_view text, std::size_t begin, std::size_t end, std::string& out);

}  // namespace pushgate::yaml
