#include "validators/policy/image_reference.hpp"

#include <catch2/catch.hpp>

using namespace pushgate;

TEST_CASE("image_pin tells a digest, a tag, :latest and no tag apart", "[validators][policy]") {
  CHECK(image_pin("nginx") == ImagePin::untagged);
  CHECK(image_pin("nginx:") == ImagePin::untagged);
  CHECK(image_pin("localhost:5000/nginx") == ImagePin::untagged);
  CHECK(image_pin("nginx:latest") == ImagePin::latest);
  CHECK(image_pin("ghcr.io/org/app:latest") == ImagePin::latest);
  CHECK(image_pin("nginx:1.25") == ImagePin::tag);
  CHECK(image_pin("nginx:latest-alpine") == ImagePin::tag);
  CHECK(image_pin("localhost:5000/nginx:1.25") == ImagePin::tag);
  CHECK(image_pin("nginx@sha256:abc") == ImagePin::digest);
  CHECK(image_pin("nginx:latest@sha256:abc") == ImagePin::digest);
}
