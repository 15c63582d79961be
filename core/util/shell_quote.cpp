#include "core/util/shell_quote.hpp"

namespace pushgate {

std::string shell_quote(std::string_view value) {
  std::string out = "'";
  for (char c : value) out += c == '\'' ? std::string_view("'\\''") : std::string_view(&c, 1);
  return out + "'";
}

}  // namespace pushgate
