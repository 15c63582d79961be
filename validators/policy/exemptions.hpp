#pragma once
// Exempting one object from policy rules, with a reason, by an annotation:
//
//   metadata:
//     annotations:
//       pushgate.dev/ignore: "policy.latest-tag: pinned by digest upstream; policy.run-as-root: needs port 80"
//
// Entries are `RULE: REASON`, separated by ';' or by line breaks (a YAML
// block scalar, `|`, gives one per line); a reason therefore holds no ';'.
// Only policy.* rules can be exempted, and only with a reason: an entry
// without one, or naming no policy rule, is a [policy.ignore] error and
// exempts nothing. An exempted finding is not dropped: it becomes a note
// that carries the reason, so every exemption shows in the hook's output,
// `pushgate validate` and its JSON and SARIF.

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/util/finding.hpp"
#include "core/yaml/yaml_tree.hpp"
#include "validators/manifest.hpp"

namespace pushgate {

inline constexpr std::string_view k_ignore_annotation = "pushgate.dev/ignore";

// The exemptions one object declares, and the part of its file that is the
// object: from its first position up to the next object's.
struct ObjectExemptions {
  yaml::Mark begin;
  yaml::Mark end;  // {INT_MAX, INT_MAX} for the last object of the file
  std::vector<std::pair<std::string, std::string>> rules;  // rule id, reason
};

// The exemptions of the objects of `file` that carry the annotation, in file
// order. Malformed entries are reported to `out` as [policy.ignore].
std::vector<ObjectExemptions> read_exemptions(const ManifestFile& file, std::vector<Finding>& out);

// Turns every finding that an exemption of its file (`by_path`, keyed by
// path) covers into a note carrying the reason (Finding::exemption).
void apply_exemptions(std::vector<Finding>& findings,
                      const std::unordered_map<std::string_view, const std::vector<ObjectExemptions>*>& by_path);

}  // namespace pushgate
