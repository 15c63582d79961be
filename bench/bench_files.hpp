#pragma once
// What the C++ benchmarks share: a file's bytes and a stopwatch.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace pushgate::bench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

inline std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace pushgate::bench
