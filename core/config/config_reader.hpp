#pragma once
// Typed reading of a configuration file parsed with the bounded YAML loader.
// Every mistake is recorded as a Finding at the node's line and column, so a
// config is either applied whole or rejected with all its errors at once.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"
#include "core/util/finding.hpp"
#include "core/yaml/yaml_tree.hpp"

namespace pushgate {

class ConfigReader {
 public:
  // `file` is the name used in messages. Parses `text`; syntax and duplicate
  // key problems are recorded as errors right away.
  ConfigReader(std::string_view text, std::string file);

  // The single document's root, or yaml::k_no_node for an empty file.
  yaml::NodeId root() const { return m_root; }
  const yaml::Document* document() const { return m_doc; }
  const yaml::Node& node(yaml::NodeId id) const { return m_doc->node(id); }

  void error(yaml::NodeId at, std::string message);
  // Where node `at` is, for messages that are made later.
  Location location(yaml::NodeId at) const;

  // Each getter returns nullopt and records an error naming `what` when the
  // node has the wrong shape. `at` may be k_no_node only for optional keys,
  // which callers check with has().
  std::optional<std::string> string(yaml::NodeId at, std::string_view what);
  std::optional<std::vector<std::string>> string_list(yaml::NodeId at, std::string_view what);
  std::optional<std::int64_t> integer(yaml::NodeId at, std::string_view what, std::int64_t min,
                                      std::int64_t max);
  std::optional<bool> boolean(yaml::NodeId at, std::string_view what);
  std::optional<std::uint64_t> size(yaml::NodeId at, std::string_view what);
  std::optional<std::chrono::milliseconds> duration(yaml::NodeId at, std::string_view what);
  // An argv list: a non-empty sequence of strings.
  std::optional<std::vector<std::string>> argv(yaml::NodeId at, std::string_view what);

  // True when `at` is a mapping; records an error otherwise.
  bool mapping(yaml::NodeId at, std::string_view what);
  // Records an error for every key of mapping `map` not in `allowed`.
  void only_keys(yaml::NodeId map, std::string_view what,
                 std::initializer_list<std::string_view> allowed);
  // (key, value) pairs of mapping `map`.
  std::vector<std::pair<yaml::NodeId, yaml::NodeId>> entries(yaml::NodeId map) const;
  yaml::NodeId find(yaml::NodeId map, std::string_view key) const;

  bool ok() const { return m_errors.empty(); }
  // All errors as one message, one `file:line:col: error: [config] ...` line each.
  Error failure() const;
  const std::vector<Finding>& errors() const { return m_errors; }

 private:
  std::string m_file;
  yaml::LoadResult m_loaded;
  const yaml::Document* m_doc = nullptr;
  yaml::NodeId m_root = yaml::k_no_node;
  std::vector<Finding> m_errors;
};

// Reads a whole file; an error names the path and the reason.
Expected<std::string> read_file(const std::string& path);

}  // namespace pushgate
