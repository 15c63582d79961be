#include "deployers/kubernetes/cluster_drift.hpp"

#include <cctype>
#include <string>
#include <vector>

namespace pushgate::kubernetes {

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    auto end = text.find('\n');
    out.push_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return out;
}

// kubectl names each side's file GROUP.VERSION.KIND.NAMESPACE.NAME (no
// group for the core group, an empty namespace for cluster-scoped objects);
// the kind is the part that starts with a capital letter, and names may
// hold dots, so the kind anchors the split.
std::string object_path(std::string_view file) {
  file = file.substr(file.rfind('/') + 1);
  std::size_t start = 0;
  while (start < file.size()) {
    std::size_t dot = file.find('.', start);
    if (dot == std::string_view::npos) break;
    if (std::isupper(static_cast<unsigned char>(file[start]))) {
      std::string_view kind = file.substr(start, dot - start);
      std::string_view rest = file.substr(dot + 1);
      std::size_t ns_end = rest.find('.');
      if (ns_end == std::string_view::npos) break;
      std::string_view ns = rest.substr(0, ns_end);
      std::string_view name = rest.substr(ns_end + 1);
      return std::string(kind) + "/" + (ns.empty() ? "" : std::string(ns) + "/") + std::string(name);
    }
    start = dot + 1;
  }
  return std::string(file);
}

}  // namespace

void read_kubectl_diff(std::string_view diff, Drift& drift) {
  std::string current;
  bool counted = true;
  for (std::string_view line : lines_of(diff)) {
    if (line.starts_with("diff ")) {
      auto space = line.rfind(' ');
      current = object_path(line.substr(space + 1));
      counted = false;
    } else if (!counted && line.starts_with("@@ ")) {
      counted = true;
      if (line.starts_with("@@ -0,0 ")) drift.note(&Drift::removed, "-" + current);
      else drift.note(&Drift::changed, "~" + current);
    }
  }
}

void read_dry_run_prune(std::string_view output, Drift& drift) {
  for (std::string_view line : lines_of(output)) {
    auto space = line.find(' ');
    if (space == std::string_view::npos) continue;
    if (line.substr(space + 1).starts_with("pruned")) drift.note(&Drift::added, "+" + std::string(line.substr(0, space)));
  }
}

}  // namespace pushgate::kubernetes
