#include "deployers/kubernetes/inventory.hpp"

#include <fmt/format.h>

#include <cctype>
#include <sstream>

namespace pushgate::kubernetes {

using nlohmann::json;

std::string inventory_name(std::string_view env) {
  std::string name = "pushgate-";
  for (char c : env)
    name.push_back(c == '_' || c == '.' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return name;
}

std::vector<LiveRelease> recorded_releases(const json& configmap) {
  std::vector<LiveRelease> out;
  if (!configmap.is_object() || !configmap.contains("metadata")) return out;
  const json annotations = configmap["metadata"].value("annotations", json::object());
  auto get = [&](std::string_view key) {
    auto it = annotations.find(std::string(key));
    return it != annotations.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  LiveRelease live{get(k_release_annotation), get(k_commit_annotation)};
  if (live.commit.empty()) return out;
  out.push_back(live);
  // One "release commit" line per earlier release, newest first.
  std::istringstream lines(get(k_history_annotation));
  std::string release, commit;
  while (lines >> release >> commit)
    if (release != live.release) out.push_back({release, commit});
  return out;
}

std::vector<std::string> record_arguments(const LiveRelease& live, const std::vector<LiveRelease>& earlier,
                                          std::size_t keep) {
  std::string history;
  std::size_t kept = 0;
  for (const auto& r : earlier) {
    if (kept + 1 >= keep) break;
    if (r.release == live.release) continue;
    history += fmt::format("{}{} {}", history.empty() ? "" : "\n", r.release, r.commit);
    ++kept;
  }
  return {fmt::format("{}={}", k_commit_annotation, live.commit),
          fmt::format("{}={}", k_release_annotation, live.release),
          fmt::format("{}={}", k_history_annotation, history)};
}

}  // namespace pushgate::kubernetes
