#pragma once
// Collects what the code under test writes to file descriptor 2, from
// construction until text() or destruction.

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/unit/support/temp_dir.hpp"

namespace pushgate::test {

class StderrCapture {
 public:
  explicit StderrCapture(const std::filesystem::path& file) : m_file(file) {
    std::fflush(stderr);
    m_saved = ::dup(2);
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~StderrCapture() { restore(); }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  // Stops capturing; what was written meanwhile.
  std::string text() {
    restore();
    return slurp(m_file);
  }

 private:
  void restore() {
    if (m_saved < 0) return;
    std::fflush(stderr);
    ::dup2(m_saved, 2);
    ::close(m_saved);
    m_saved = -1;
  }
  std::filesystem::path m_file;
  int m_saved = -1;
};

}  // namespace pushgate::test
