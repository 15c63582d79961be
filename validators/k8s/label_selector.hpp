#pragma once
// Label selectors (matchLabels and matchExpressions, or a Service's plain
// map) and the label sets they select from, for cross-file checks that ask
// "does anything in the tree carry these labels?".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/yaml/yaml_tree.hpp"

namespace pushgate {

// A label set in one string: "key=value\n" per label, sorted by key, as the
// tree index saves it (a label key holds no '=', neither holds a line break).
std::string encode_labels(const yaml::Document& doc, yaml::NodeId labels);

struct LabelSelector {
  enum class Op { in, not_in, exists, does_not_exist };
  struct Requirement {
    std::string key;
    Op op = Op::in;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements;  // all must hold; none selects everything

  // True when the labels `encoded` (encode_labels) satisfy every requirement.
  bool matches(std::string_view encoded) const;
  // "app=web, tier in (a, b)", for messages.
  std::string describe() const;
};

// A Service's selector: a plain map of labels. Nullopt when it is absent,
// empty or holds other than strings.
std::optional<LabelSelector> read_map_selector(const yaml::Document& doc, yaml::NodeId map);

// A metav1.LabelSelector (matchLabels, matchExpressions). Nullopt when it is
// absent or not well formed.
std::optional<LabelSelector> read_label_selector(const yaml::Document& doc, yaml::NodeId selector);

}  // namespace pushgate
