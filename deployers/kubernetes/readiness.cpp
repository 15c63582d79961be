#include "deployers/kubernetes/readiness.hpp"

#include <fmt/format.h>

namespace pushgate::kubernetes {

using nlohmann::json;

namespace {

// `object`'s member `key`, or null: a live object may lack spec or status.
const json& member(const json& object, const char* key) {
  static const json k_null;
  if (!object.is_object()) return k_null;
  auto it = object.find(key);
  return it == object.end() ? k_null : *it;
}

std::int64_t number(const json& object, const char* key, std::int64_t fallback = 0) {
  return object.is_object() && object.contains(key) && object[key].is_number_integer() ? object[key].get<std::int64_t>()
                                                                                        : fallback;
}

std::string text(const json& object, const char* key) {
  return object.is_object() && object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

Readiness ready() { return {Readiness::State::ready, ""}; }
Readiness waiting(std::string why) { return {Readiness::State::waiting, std::move(why)}; }

// The controller has not seen the latest spec yet: its status says nothing.
std::optional<Readiness> not_observed(const json& live) {
  std::int64_t generation = number(member(live, "metadata"), "generation");
  std::int64_t observed = number(member(live, "status"), "observedGeneration");
  if (observed < generation)
    return waiting(fmt::format("the controller has not yet seen generation {} (observed {})", generation, observed));
  return std::nullopt;
}

// The status of condition `type`, "" when absent; its message in `message`.
std::string condition(const json& status, std::string_view type, std::string* message = nullptr) {
  if (!status.is_object() || !status.contains("conditions") || !status["conditions"].is_array()) return "";
  for (const auto& c : status["conditions"])
    if (text(c, "type") == type) {
      if (message) *message = text(c, "message");
      return text(c, "status");
    }
  return "";
}

Readiness deployment(const json& live) {
  if (auto pending = not_observed(live)) return *pending;
  const json& status = member(live, "status");
  std::string message;
  if (condition(status, "Progressing", &message) == "False")
    return {Readiness::State::failed, fmt::format("rollout stopped: {}", message)};
  std::int64_t want = number(member(live, "spec"), "replicas", 1);
  std::int64_t updated = number(status, "updatedReplicas");
  std::int64_t total = number(status, "replicas");
  std::int64_t available = number(status, "availableReplicas");
  if (updated < want) return waiting(fmt::format("{} of {} replicas updated", updated, want));
  if (total > updated) return waiting(fmt::format("{} old replicas are still running", total - updated));
  if (available < updated) return waiting(fmt::format("{} of {} updated replicas available", available, updated));
  return ready();
}

Readiness stateful_set(const json& live) {
  if (auto pending = not_observed(live)) return *pending;
  const json& status = member(live, "status");
  std::int64_t want = number(member(live, "spec"), "replicas", 1);
  std::int64_t ready_replicas = number(status, "readyReplicas");
  if (ready_replicas < want) return waiting(fmt::format("{} of {} replicas ready", ready_replicas, want));
  if (text(member(member(live, "spec"), "updateStrategy"), "type") != "OnDelete") {
    std::int64_t updated = number(status, "updatedReplicas");
    if (updated < want) return waiting(fmt::format("{} of {} replicas updated", updated, want));
    if (text(status, "currentRevision") != text(status, "updateRevision"))
      return waiting("the update to the new revision has not finished");
  }
  return ready();
}

Readiness daemon_set(const json& live) {
  if (auto pending = not_observed(live)) return *pending;
  const json& status = member(live, "status");
  std::int64_t want = number(status, "desiredNumberScheduled");
  std::int64_t updated = number(status, "updatedNumberScheduled");
  std::int64_t available = number(status, "numberAvailable");
  if (updated < want) return waiting(fmt::format("{} of {} nodes updated", updated, want));
  if (available < want) return waiting(fmt::format("{} of {} nodes available", available, want));
  return ready();
}

Readiness job(const json& live) {
  const json& status = member(live, "status");
  std::string message;
  if (condition(status, "Failed", &message) == "True") return {Readiness::State::failed, "failed: " + message};
  if (condition(status, "Complete") == "True") return ready();
  return waiting(fmt::format("not complete ({} active, {} succeeded)", number(status, "active"),
                             number(status, "succeeded")));
}

}  // namespace

Readiness readiness_of(const json& live) {
  std::string kind = text(live, "kind");
  std::string api = text(live, "apiVersion");
  if (api.starts_with("apps/")) {
    if (kind == "Deployment") return deployment(live);
    if (kind == "StatefulSet") return stateful_set(live);
    if (kind == "DaemonSet") return daemon_set(live);
  }
  if (kind == "Job" && api.starts_with("batch/")) return job(live);
  return ready();
}

}  // namespace pushgate::kubernetes
