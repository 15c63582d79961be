#include "core/git/push_options.hpp"

#include <cstdlib>
#include <string>

namespace pushgate {

PushOptions PushOptions::from_environment() {
  std::vector<std::string> options;
  const char* count = std::getenv("GIT_PUSH_OPTION_COUNT");
  if (!count) return PushOptions{};
  // git caps push options far below this; a bogus count must not loop long.
  long n = std::strtol(count, nullptr, 10);
  for (long i = 0; i < n && i < 1000; ++i) {
    const char* v = std::getenv(("GIT_PUSH_OPTION_" + std::to_string(i)).c_str());
    if (v) options.emplace_back(v);
  }
  return PushOptions(std::move(options));
}

bool PushOptions::has(std::string_view key) const {
  for (const auto& o : m_options) {
    if (o == key || (o.size() > key.size() && o.starts_with(key) && o[key.size()] == '=')) return true;
  }
  return false;
}

std::optional<std::string> PushOptions::value(std::string_view key) const {
  std::optional<std::string> found;
  for (const auto& o : m_options) {
    if (o.size() > key.size() && o.starts_with(key) && o[key.size()] == '=')
      found = o.substr(key.size() + 1);
  }
  return found;
}

}  // namespace pushgate
