#pragma once
// Findings about one manifest, located by YAML marks: how file validators
// report.

#include <string>
#include <string_view>
#include <vector>

#include "core/util/finding.hpp"
#include "core/yaml/yaml_tree.hpp"

namespace pushgate {

class FileFindings {
 public:
  // Findings go to `out`, located in `path`; both must outlive this object.
  // They share one copy of the path, and with the findings before them in
  // `out` of the same file (another validator's).
  FileFindings(const std::string& path, std::vector<Finding>& out) : m_path(path), m_out(out) {}

  // Appends a finding at `mark` (line 0 means the whole file) and returns it,
  // so the caller can add related places.
  Finding& add(RuleId rule, Severity severity, yaml::Mark mark, std::string message);

  const std::string& path() const { return m_path; }

 private:
  const std::string& m_path;
  SharedText m_shared_path;  // made at the first finding
  std::vector<Finding>& m_out;
};

}  // namespace pushgate
