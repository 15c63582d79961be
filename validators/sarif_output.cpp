#include "validators/sarif_output.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/util/version.hpp"
#include "validators/rule_catalog.hpp"

namespace pushgate {

namespace {

using nlohmann::json;

const char* level(Severity severity) {
  switch (severity) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

json location(const Location& where) {
  json artifact = {{"uri", path_uri(where.path)}};
  if (!where.path.starts_with('/')) artifact["uriBaseId"] = "%SRCROOT%";
  json physical = {{"artifactLocation", std::move(artifact)}};
  if (where.line > 0) {
    json region = {{"startLine", where.line}};
    if (where.column > 0) region["startColumn"] = where.column;
    physical["region"] = std::move(region);
  }
  return {{"physicalLocation", std::move(physical)}};
}

json rules() {
  json out = json::array();
  for (std::string_view id : rule_ids()) {
    RuleInfo info = rule_info(id);
    out.push_back({{"id", id},
                   {"shortDescription", {{"text", info.finds}}},
                   {"defaultConfiguration", {{"level", level(info.severity)}}}});
  }
  return out;
}

json result(const Finding& f) {
  json out = {{"ruleId", f.rule.view()}, {"level", level(f.severity)}, {"message", {{"text", f.message}}},
              {"locations", json::array({location(f.where)})}};
  const auto& ids = rule_ids();
  if (auto it = std::lower_bound(ids.begin(), ids.end(), f.rule.view()); it != ids.end() && *it == f.rule)
    out["ruleIndex"] = it - ids.begin();
  if (!f.related.empty()) {
    json related = json::array();
    for (const Location& r : f.related) related.push_back(location(r));
    out["relatedLocations"] = std::move(related);
  }
  if (!f.exemption.empty()) {
    const char* kind = f.exemption_kind == ExemptionKind::external ? "external" : "inSource";
    out["suppressions"] = json::array({{{"kind", kind}, {"justification", f.exemption.view()}}});
  }
  return out;
}

}  // namespace

std::string path_uri(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  std::string out = path.starts_with('/') ? "file://" : "";
  for (unsigned char c : path) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '-' ||
                 c == '.' || c == '_' || c == '~';
    if (plain) out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string report_sarif(const Report& report) {
  json results = json::array();
  for (const Finding& f : report.findings) results.push_back(result(f));
  json run = {{"tool", {{"driver", {{"name", "pushgate"}, {"version", k_pushgate_version}, {"rules", rules()}}}}},
              {"columnKind", "unicodeCodePoints"},
              {"invocations", json::array({{{"executionSuccessful", !report.timed_out}}})},
              {"results", std::move(results)}};
  json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({std::move(run)})}};
  // Manifests may hold invalid UTF-8; replace it rather than fail to report.
  return log.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace pushgate
