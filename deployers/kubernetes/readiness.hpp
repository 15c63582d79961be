#pragma once
// When an applied object counts as ready, judged from the live object the
// API server returns, as `kubectl rollout status` judges: Deployments,
// StatefulSets and DaemonSets rolled out, Jobs complete; any other kind
// once it exists.

#include <string>

#include <nlohmann/json.hpp>

namespace pushgate::kubernetes {

struct Readiness {
  enum class State { ready, waiting, failed };
  State state = State::waiting;
  std::string reason;  // why not ready yet, or why it never will be; "" when ready
};

// The readiness of `live` (an object as the API server returns it, status
// included).
Readiness readiness_of(const nlohmann::json& live);

}  // namespace pushgate::kubernetes
