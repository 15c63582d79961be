#include "core/util/quantity.hpp"

#include <charconv>
#include <utility>

namespace pushgate {

namespace {

// Splits "12.5MiB" into 12.5 and "MiB"; nullopt if there is no number.
std::optional<std::pair<double, std::string_view>> split_number(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0) return std::nullopt;
  std::string_view unit(end, text.data() + text.size() - end);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  return std::pair{number, unit};
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  auto parsed = split_number(text);
  if (!parsed) return std::nullopt;
  auto [n, unit] = *parsed;
  struct Unit {
    std::string_view name;
    double factor;
  };
  static constexpr Unit units[] = {{"", 1},         {"B", 1},         {"KiB", 1024.0},
                                   {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3},
                                   {"kB", 1e3},      {"MB", 1e6},      {"GB", 1e9}};
  for (const auto& u : units)
    if (unit == u.name) return static_cast<std::uint64_t>(n * u.factor);
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto parsed = split_number(text);
  if (!parsed) return std::nullopt;
  auto [n, unit] = *parsed;
  double ms = 0;
  if (unit == "ms") ms = n;
  else if (unit.empty() || unit == "s") ms = n * 1000;
  else if (unit == "m") ms = n * 60'000;
  else if (unit == "h") ms = n * 3'600'000;
  else return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

}  // namespace pushgate
