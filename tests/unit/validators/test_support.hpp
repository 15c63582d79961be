#pragma once
// Helpers for validator tests: an in-memory manifest source, running the
// engine over text, and picking findings by rule.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "core/util/finding.hpp"
#include "core/config/repo_config.hpp"
#include "tests/unit/support/temp_dir.hpp"
#include "validators/engine.hpp"
#include "validators/manifest.hpp"

namespace pushgate::test {

// Manifests held in memory; counts reads so tests can see what was not read.
class MemorySource : public ManifestSource {
 public:
  // Adds a file, keeping entries sorted by path as real sources do; `key`
  // is its content identity ("" for none).
  void add(std::string path, std::string content, std::string key = "") {
    auto at = std::lower_bound(m_entries.begin(), m_entries.end(), path,
                               [](const ManifestEntry& e, const std::string& p) { return e.path < p; });
    m_contents.insert(m_contents.begin() + (at - m_entries.begin()), content);
    m_entries.insert(at, ManifestEntry{std::move(path), content.size(), std::move(key)});
  }
  const std::vector<ManifestEntry>& entries() const override { return m_entries; }
  Expected<std::string> read(const ManifestEntry& entry) const override {
    ++m_reads;
    for (std::size_t i = 0; i < m_entries.size(); ++i)
      if (m_entries[i].path == entry.path) return m_contents[i];
    return Error{ErrorCode::io, "no such file: " + entry.path};
  }
  std::size_t reads() const { return m_reads; }

 private:
  std::vector<ManifestEntry> m_entries;
  std::vector<std::string> m_contents;
  mutable std::atomic<std::size_t> m_reads{0};
};

// Runs every validator over one file `path` holding `text`.
inline Report validate_text(const std::string& path, std::string text, const ValidateSettings& settings = {}) {
  MemorySource source;
  source.add(path, std::move(text));
  return Engine(settings).run(source, nullptr, EngineOptions{});
}

// The findings of `report` for `rule`.
inline std::vector<Finding> with_rule(const Report& report, std::string_view rule) {
  std::vector<Finding> out;
  for (const Finding& f : report.findings)
    if (f.rule == rule) out.push_back(f);
  return out;
}

// The one finding of `rule`; fails the test when there is not exactly one.
inline Finding only(const Report& report, std::string_view rule) {
  auto found = with_rule(report, rule);
  INFO("findings: " << [&] {
    std::string all;
    for (const Finding& f : report.findings) all += "\n  " + format_finding(f);
    return all;
  }());
  REQUIRE(found.size() == 1);
  return found[0];
}

// Every finding as text, for failure messages and whole-report comparisons.
inline std::string describe(const Report& report) {
  std::string all;
  for (const Finding& f : report.findings) all += format_finding(f) + "\n";
  return all;
}

}  // namespace pushgate::test
