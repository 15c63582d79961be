#pragma once
// How a container image reference pins what runs: [policy.latest-tag].

#include <string_view>

namespace pushgate {

enum class ImagePin {
  digest,    // name@sha256:...: exactly one image, whatever the tag says
  tag,       // name:1.25
  latest,    // name:latest, which moves
  untagged,  // name alone, which means :latest
};

// The pin of `image`; a registry port ("registry:5000/app") is no tag.
ImagePin image_pin(std::string_view image);

}  // namespace pushgate
