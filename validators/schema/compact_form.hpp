#pragma once
// The compact form of a schema set: a header and the tables of
// schema_format.hpp, byte for byte, so reading it back costs a checksum and
// a bounds check of every index, not a parse.
//
// Layout (host byte order, which the header records): Header, then each
// table at the 8-byte aligned offset the header gives. The checksum covers
// everything after the header.

#include <string>
#include <string_view>

#include "validators/schema/schema_format.hpp"

namespace pushgate::schema {

inline constexpr std::uint32_t k_format_version = 1;

// `tables` as bytes.
std::string write_compact(const Tables& tables);

// Tables that point into `bytes`, which must outlive them and be 8-byte
// aligned (any std::string's heap buffer is). Throws Failure for bytes that
// are not a compact form of this version, or whose checksum or any index is
// wrong: a set it returns can be walked without further checks.
Tables read_compact(std::string_view bytes);

}  // namespace pushgate::schema
