#pragma once
// Drift: how a target differs from the release that should be live on it
// (issue 10). Every deployer reports it the same way, so the daemon's drift
// loop, the note line `status=drifted` and `pushgate diff` need not know the
// kind of target.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace pushgate {

// How many differences a Drift names; the counts go on past it.
inline constexpr std::size_t k_drift_paths = 5;

struct Drift {
  // Files (or objects) on the target that the release does not hold.
  std::size_t added = 0;
  // Files (or objects) of the release that the target is missing.
  std::size_t removed = 0;
  // In both, but content, type, mode or symlink target differ.
  std::size_t changed = 0;
  // Places (the folder, or hosts) whose `current` names another release than
  // the expected one, or nothing.
  std::size_t elsewhere = 0;
  // The first k_drift_paths differences, in the order found: "+PATH"
  // (added), "-PATH" (removed), "~PATH" (changed), "current -> ID" (ID "" when
  // nothing is live). PATH is relative to the release, prefixed "HOST:" for a
  // host of a fleet; a Kubernetes object is "Kind/namespace/name".
  std::vector<std::string> paths;
  // Places that could not be checked, each "PLACE: why" (an unreachable
  // host). A check that could check nothing is an Error instead.
  std::vector<std::string> unchecked;

  // True when anything differs.
  bool drifted() const { return added + removed + changed + elsewhere > 0; }
  // Counts one difference and keeps `path` while fewer than k_drift_paths are kept.
  void note(std::size_t Drift::*count, std::string path);
  // Adds `other`'s counts and paths (up to k_drift_paths) and its unchecked places.
  void merge(const Drift& other);
};

// The note fields of a drift, in this order: added=, removed=, changed=,
// elsewhere= (only when > 0), paths="~a.yaml +b.yaml" (space-separated),
// unchecked= (count, only when > 0).
std::vector<std::pair<std::string, std::string>> drift_fields(const Drift& drift);

// One line for people: "2 changed, 1 added (first: ~a.yaml ~b.yaml +c.yaml)",
// or "no drift".
std::string describe_drift(const Drift& drift);

}  // namespace pushgate
