#include "deployers/drift.hpp"

#include <fmt/format.h>

namespace pushgate {

namespace {

std::string join_paths(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& p : paths) out += (out.empty() ? "" : " ") + p;
  return out;
}

}  // namespace

void Drift::note(std::size_t Drift::*count, std::string path) {
  ++(this->*count);
  if (paths.size() < k_drift_paths) paths.push_back(std::move(path));
}

void Drift::merge(const Drift& other) {
  added += other.added;
  removed += other.removed;
  changed += other.changed;
  elsewhere += other.elsewhere;
  for (const auto& p : other.paths)
    if (paths.size() < k_drift_paths) paths.push_back(p);
  unchecked.insert(unchecked.end(), other.unchecked.begin(), other.unchecked.end());
}

std::vector<std::pair<std::string, std::string>> drift_fields(const Drift& drift) {
  std::vector<std::pair<std::string, std::string>> out{{"added", std::to_string(drift.added)},
                                                       {"removed", std::to_string(drift.removed)},
                                                       {"changed", std::to_string(drift.changed)}};
  if (drift.elsewhere > 0) out.emplace_back("elsewhere", std::to_string(drift.elsewhere));
  if (!drift.paths.empty()) out.emplace_back("paths", join_paths(drift.paths));
  if (!drift.unchecked.empty()) out.emplace_back("unchecked", std::to_string(drift.unchecked.size()));
  return out;
}

std::string describe_drift(const Drift& drift) {
  if (!drift.drifted()) return "no drift";
  std::vector<std::string> parts;
  if (drift.changed) parts.push_back(fmt::format("{} changed", drift.changed));
  if (drift.added) parts.push_back(fmt::format("{} added", drift.added));
  if (drift.removed) parts.push_back(fmt::format("{} removed", drift.removed));
  if (drift.elsewhere) parts.push_back(fmt::format("current elsewhere on {}", drift.elsewhere));
  return fmt::format("{} (first: {})", fmt::join(parts, ", "), join_paths(drift.paths));
}

}  // namespace pushgate
