#include "validators/policy/image_reference.hpp"

namespace pushgate {

ImagePin image_pin(std::string_view image) {
  if (image.find('@') != std::string_view::npos) return ImagePin::digest;
  std::size_t slash = image.rfind('/');
  std::string_view last = slash == std::string_view::npos ? image : image.substr(slash + 1);
  std::size_t colon = last.find(':');
  if (colon == std::string_view::npos || colon + 1 == last.size()) return ImagePin::untagged;
  return last.substr(colon + 1) == "latest" ? ImagePin::latest : ImagePin::tag;
}

}  // namespace pushgate
