#include "daemon/release_id.hpp"

#include <fmt/format.h>

#include <ctime>

namespace pushgate::daemon {

std::string make_release_id(std::chrono::system_clock::time_point when, std::string_view commit,
                            std::uint64_t job, std::string_view suffix) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  return fmt::format("{}-{}-j{}{}", stamp, commit.substr(0, 12), job, suffix);
}

std::string release_suffix(int attempt, std::size_t rerun) {
  std::string suffix = rerun > 0 ? fmt::format("-r{}", rerun) : "";
  if (attempt > 1) suffix += fmt::format("-a{}", attempt);
  return suffix;
}

}  // namespace pushgate::daemon
