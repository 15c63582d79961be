#pragma once
// Push options (`git push -o KEY[=VALUE]`), which git hands hooks through
// GIT_PUSH_OPTION_COUNT and GIT_PUSH_OPTION_<n>.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pushgate {

class PushOptions {
 public:
  // Reads the options from this process's environment; none when git did not
  // pass any (or the repository does not advertise them).
  static PushOptions from_environment();
  explicit PushOptions(std::vector<std::string> options = {}) : m_options(std::move(options)) {}

  // True when `key` or `key=...` was given.
  bool has(std::string_view key) const;
  // The value of the last `key=value`, or nullopt.
  std::optional<std::string> value(std::string_view key) const;
  const std::vector<std::string>& all() const { return m_options; }

 private:
  std::vector<std::string> m_options;
};

}  // namespace pushgate
