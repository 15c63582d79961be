#include "core/config/config_reader.hpp"

#include <fmt/format.h>

#include <charconv>
#include <limits>

#include "core/util/quantity.hpp"
#include "core/util/read_bounded.hpp"

namespace pushgate {

using yaml::NodeId;
using yaml::NodeKind;

ConfigReader::ConfigReader(std::string_view text, std::string file)
    : m_file(std::move(file)), m_loaded(yaml::load(text, yaml::Limits{64, 1000, 1})) {
  for (const auto& p : m_loaded.problems) {
    m_errors.push_back({{m_file, p.mark.line, p.mark.column}, Severity::error, "config", p.message, {}});
  }
  if (m_loaded.documents.empty()) return;
  m_doc = &m_loaded.documents.front();
  if (!m_doc->empty()) m_root = m_doc->root();
}

void ConfigReader::error(NodeId at, std::string message) {
  m_errors.push_back({location(at), Severity::error, "config", std::move(message), {}});
}

Location ConfigReader::location(NodeId at) const {
  yaml::Mark m = at == yaml::k_no_node || !m_doc ? yaml::Mark{} : m_doc->node(at).mark;
  return {m_file, m.line, m.column};
}

std::optional<std::string> ConfigReader::string(NodeId at, std::string_view what) {
  if (at == yaml::k_no_node || node(at).kind != NodeKind::scalar) {
    error(at, fmt::format("{} must be a string", what));
    return std::nullopt;
  }
  return std::string(node(at).value);
}

std::optional<std::vector<std::string>> ConfigReader::string_list(NodeId at, std::string_view what) {
  if (at == yaml::k_no_node || node(at).kind != NodeKind::sequence) {
    error(at, fmt::format("{} must be a list of strings, like [\"a\", \"b\"]", what));
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (NodeId item : node(at).children) {
    auto s = string(item, fmt::format("each item of {}", what));
    if (!s) return std::nullopt;
    out.push_back(*s);
  }
  return out;
}

std::optional<std::int64_t> ConfigReader::integer(NodeId at, std::string_view what,
                                                   std::int64_t min, std::int64_t max) {
  std::int64_t v = 0;
  if (at != yaml::k_no_node && node(at).kind == NodeKind::scalar && node(at).plain) {
    std::string_view s = node(at).value;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && v >= min && v <= max) return v;
  }
  error(at, fmt::format("{} must be a whole number from {} to {}", what, min, max));
  return std::nullopt;
}

std::optional<bool> ConfigReader::boolean(NodeId at, std::string_view what) {
  if (at != yaml::k_no_node && node(at).kind == NodeKind::scalar && node(at).plain) {
    if (node(at).value == "true") return true;
    if (node(at).value == "false") return false;
  }
  error(at, fmt::format("{} must be true or false", what));
  return std::nullopt;
}

std::optional<std::uint64_t> ConfigReader::size(NodeId at, std::string_view what) {
  if (at != yaml::k_no_node && node(at).kind == NodeKind::scalar) {
    if (auto v = parse_size(node(at).value)) return v;
  }
  error(at, fmt::format("{} must be a size such as 1MiB, 512KiB or 4096", what));
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> ConfigReader::duration(NodeId at, std::string_view what) {
  if (at != yaml::k_no_node && node(at).kind == NodeKind::scalar) {
    if (auto v = parse_duration(node(at).value)) return v;
  }
  error(at, fmt::format("{} must be a duration such as 10s, 500ms or 5m", what));
  return std::nullopt;
}

std::optional<std::vector<std::string>> ConfigReader::argv(NodeId at, std::string_view what) {
  auto list = string_list(at, what);
  if (list && list->empty()) {
    error(at, fmt::format("{} must name a program: [\"/path/to/program\", \"arg\", ...]", what));
    return std::nullopt;
  }
  return list;
}

bool ConfigReader::mapping(NodeId at, std::string_view what) {
  if (at != yaml::k_no_node && node(at).kind == NodeKind::mapping) return true;
  error(at, fmt::format("{} must be a mapping of key: value", what));
  return false;
}

void ConfigReader::only_keys(NodeId map, std::string_view what,
                             std::initializer_list<std::string_view> allowed) {
  for (auto [k, v] : entries(map)) {
    const auto& key = node(k).value;
    bool known = false;
    for (auto a : allowed) known |= key == a;
    if (known) continue;
    std::string list;
    for (auto a : allowed) list += fmt::format("{}{}", list.empty() ? "" : ", ", a);
    error(k, fmt::format("unknown key '{}' in {} (known keys: {})", key, what, list));
  }
}

std::vector<std::pair<NodeId, NodeId>> ConfigReader::entries(NodeId map) const {
  std::vector<std::pair<NodeId, NodeId>> out;
  if (map == yaml::k_no_node || node(map).kind != NodeKind::mapping) return out;
  const auto& kids = node(map).children;
  for (std::size_t i = 0; i + 1 < kids.size(); i += 2) out.emplace_back(kids[i], kids[i + 1]);
  return out;
}

NodeId ConfigReader::find(NodeId map, std::string_view key) const {
  return m_doc ? m_doc->find(map, key) : yaml::k_no_node;
}

Error ConfigReader::failure() const {
  std::string message;
  for (const auto& e : m_errors) message += (message.empty() ? "" : "\n") + format_finding(e);
  return {ErrorCode::config, message};
}

Expected<std::string> read_file(const std::string& path) {
  Expected<BoundedRead> read = read_bounded(path, std::numeric_limits<std::uint64_t>::max());
  if (!read) return read.error();
  return std::move(*read->bytes);
}

}  // namespace pushgate
