#pragma once
// A Report as SARIF 2.1.0, which code-scanning front ends (GitHub, GitLab,
// Azure DevOps, IDEs) show next to the code: `pushgate validate --format sarif`.

#include <string>
#include <string_view>

#include "validators/engine.hpp"

namespace pushgate {

// One SARIF log with one run of the tool "pushgate": the driver lists every
// rule of the catalogue (rule_catalog.hpp) with its description and default
// level; each finding is a result with ruleId, ruleIndex, level
// (error/warning/note), message and a physical location (the path as a URI
// relative to the checked-out sources, region startLine/startColumn when
// known), other places involved as relatedLocations, and an exempted finding
// (a note) with a suppression whose justification is the reason: of kind
// inSource for an annotation or inline comment, external for the allow-list.
std::string report_sarif(const Report& report);

// `path` as a URI reference: relative paths percent-encoded as they are
// (a leading "./" dropped), absolute ones as file:// URIs.
std::string path_uri(std::string_view path);

}  // namespace pushgate
