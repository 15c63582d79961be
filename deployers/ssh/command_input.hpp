#pragma once
// What a remote command reads on its standard input, a piece at a time
// (Connection::run): a release archive that may still be being written
// while the first pieces travel (release_archive.hpp).

#include <cstddef>

#include "core/util/error.hpp"

namespace pushgate::ssh {

class CommandInput {
 public:
  virtual ~CommandInput() = default;
  // Up to `size` bytes into `buffer`: how many, 0 at the end. May wait for
  // bytes still being made. An Error says why the rest cannot be had.
  virtual Expected<std::size_t> read(char* buffer, std::size_t size) = 0;
};

}  // namespace pushgate::ssh
