#pragma once

#include <string_view>

namespace pushgate {

inline constexpr std::string_view k_pushgate_version = "0.1.0";

}  // namespace pushgate
