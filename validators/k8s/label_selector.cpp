#include "validators/k8s/label_selector.hpp"

#include <algorithm>
#include <utility>

#include "validators/k8s/k8s_object.hpp"

namespace pushgate {

namespace {

using yaml::k_no_node;
using yaml::NodeId;
using yaml::NodeKind;

// The value of `key` in `encoded`, or nullopt.
std::optional<std::string_view> label_value(std::string_view encoded, std::string_view key) {
  while (!encoded.empty()) {
    std::size_t end = encoded.find('\n');
    std::string_view line = encoded.substr(0, end);
    encoded.remove_prefix(end == std::string_view::npos ? encoded.size() : end + 1);
    std::size_t eq = line.find('=');
    if (line.substr(0, eq) == key) return eq == std::string_view::npos ? std::string_view() : line.substr(eq + 1);
  }
  return std::nullopt;
}

// The string pairs of mapping `map`, viewing the document's text; nullopt
// when one is not a scalar. Views, not strings: every pod template's labels
// are read.
using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

std::optional<Pairs> string_pairs(const yaml::Document& doc, NodeId map) {
  if (map == k_no_node || doc.node(map).kind != NodeKind::mapping) return std::nullopt;
  Pairs out;
  const auto& kids = doc.node(map).children;
  out.reserve(kids.size() / 2);
  for (std::size_t i = 0; i + 1 < kids.size(); i += 2) {
    const yaml::Node& k = doc.node(kids[i]);
    const yaml::Node& v = doc.node(kids[i + 1]);
    if (k.kind != NodeKind::scalar || (v.kind != NodeKind::scalar && v.kind != NodeKind::null)) return std::nullopt;
    out.emplace_back(k.value, v.value);
  }
  return out;
}

void add_match_labels(const Pairs& pairs, LabelSelector& out) {
  out.requirements.reserve(out.requirements.size() + pairs.size());
  for (const auto& [key, value] : pairs)
    out.requirements.push_back({std::string(key), LabelSelector::Op::in, {std::string(value)}});
}

}  // namespace

std::string encode_labels(const yaml::Document& doc, NodeId labels) {
  auto pairs = string_pairs(doc, labels);
  if (!pairs) return {};
  std::sort(pairs->begin(), pairs->end());
  std::size_t size = 0;
  for (const auto& [key, value] : *pairs) size += key.size() + value.size() + 2;
  std::string out;
  out.reserve(size);
  for (const auto& [key, value] : *pairs) {
    if (key.find_first_of("=\n") != std::string_view::npos || value.find('\n') != std::string_view::npos) continue;
    out.append(key).append(1, '=').append(value).append(1, '\n');
  }
  return out;
}

bool LabelSelector::matches(std::string_view encoded) const {
  return std::all_of(requirements.begin(), requirements.end(), [&](const Requirement& r) {
    auto value = label_value(encoded, r.key);
    bool listed = value && std::find(r.values.begin(), r.values.end(), *value) != r.values.end();
    switch (r.op) {
      case Op::in: return listed;
      case Op::not_in: return !listed;
      case Op::exists: return value.has_value();
      case Op::does_not_exist: return !value.has_value();
    }
    return false;
  });
}

std::string LabelSelector::describe() const {
  if (requirements.empty()) return "everything";
  // Plain appends: `pushgate validate` describes every selector of a large
  // tree that matches nothing.
  std::string out;
  auto append_values = [&](const Requirement& r, std::string_view op) {
    out.append(r.key).append(op).append(1, '(');
    for (const std::string& v : r.values) out.append(&v == &r.values.front() ? "" : ", ").append(v);
    out.append(1, ')');
  };
  for (const Requirement& r : requirements) {
    if (&r != &requirements.front()) out.append(", ");
    switch (r.op) {
      case Op::in:
        if (r.values.size() == 1) out.append(r.key).append(1, '=').append(r.values[0]);
        else append_values(r, " in ");
        break;
      case Op::not_in: append_values(r, " notin "); break;
      case Op::exists: out.append(r.key); break;
      case Op::does_not_exist: out.append(1, '!').append(r.key); break;
    }
  }
  return out;
}

std::optional<LabelSelector> read_map_selector(const yaml::Document& doc, NodeId map) {
  auto pairs = string_pairs(doc, map);
  if (!pairs || pairs->empty()) return std::nullopt;
  LabelSelector out;
  add_match_labels(*pairs, out);
  return out;
}

std::optional<LabelSelector> read_label_selector(const yaml::Document& doc, NodeId selector) {
  if (selector == k_no_node || doc.node(selector).kind != NodeKind::mapping) return std::nullopt;
  LabelSelector out;
  if (NodeId labels = doc.find(selector, "matchLabels"); labels != k_no_node) {
    auto pairs = string_pairs(doc, labels);
    if (!pairs) return std::nullopt;
    add_match_labels(*pairs, out);
  }
  NodeId expressions = doc.find(selector, "matchExpressions");
  if (expressions == k_no_node) return out;
  if (doc.node(expressions).kind != NodeKind::sequence) return std::nullopt;
  for (NodeId e : doc.node(expressions).children) {
    std::string_view op = scalar_text(doc, doc.find(e, "operator"));
    LabelSelector::Requirement r{std::string(scalar_text(doc, doc.find(e, "key"))), LabelSelector::Op::in, {}};
    if (op == "In") r.op = LabelSelector::Op::in;
    else if (op == "NotIn") r.op = LabelSelector::Op::not_in;
    else if (op == "Exists") r.op = LabelSelector::Op::exists;
    else if (op == "DoesNotExist") r.op = LabelSelector::Op::does_not_exist;
    else return std::nullopt;
    NodeId values = doc.find(e, "values");
    if (values != k_no_node && doc.node(values).kind == NodeKind::sequence)
      for (NodeId v : doc.node(values).children) r.values.emplace_back(scalar_text(doc, v));
    if (r.key.empty()) return std::nullopt;
    out.requirements.push_back(std::move(r));
  }
  return out;
}

}  // namespace pushgate
