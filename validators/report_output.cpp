#include "validators/report_output.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/util/terminal_text.hpp"

namespace pushgate {

namespace {

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

nlohmann::json location_json(const Location& where) {
  return {{"path", where.path}, {"line", where.line}, {"column", where.column}};
}

}  // namespace

void print_findings(const Report& report, std::size_t max_findings, std::ostream& out) {
  // Lines gather in a buffer written a block at a time: a large tree has
  // tens of thousands of them.
  constexpr std::size_t k_block = 64 * 1024;
  std::string text;
  std::string line;
  text.reserve(k_block + 1024);
  auto flush = [&] {
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    text.clear();
  };
  std::size_t shown = std::min(max_findings, report.findings.size());
  for (std::size_t i = 0; i < shown; ++i) {
    line.clear();
    append_finding(line, report.findings[i]);
    append_escaped(text, line);  // paths and values come from the push
    text += '\n';
    if (text.size() >= k_block) flush();
  }
  if (shown < report.findings.size()) {
    text += fmt::format("... and {} more (validate.max_findings is {})\n",
                        plural(report.findings.size() - shown, "finding"), max_findings);
  }
  flush();
}

std::string summarize(const Report& report) {
  std::string files = plural(report.files_checked, "file");
  std::string counts;
  if (report.errors == 0 && report.warnings == 0) counts = "no errors in " + files;
  else if (report.errors == 0) counts = fmt::format("{} in {}", plural(report.warnings, "warning"), files);
  else if (report.warnings == 0) counts = fmt::format("{} in {}", plural(report.errors, "error"), files);
  else counts = fmt::format("{}, {} in {}", plural(report.errors, "error"), plural(report.warnings, "warning"), files);
  return counts + exempted_suffix(report.notes);
}

std::string exempted_suffix(std::size_t notes) {
  return notes == 0 ? "" : fmt::format(" ({} exempted by annotation)", plural(notes, "finding"));
}

void add_notes(Report& report, const std::vector<Finding>& notes) {
  report.findings.insert(report.findings.end(), notes.begin(), notes.end());
  report.notes += notes.size();
}

std::string report_json(const Report& report) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : report.findings) {
    nlohmann::json j = location_json(f.where);
    j["severity"] = to_string(f.severity);
    j["rule"] = f.rule;
    j["message"] = f.message;
    if (!f.exemption.empty()) j["exemption"] = f.exemption;
    j["related"] = nlohmann::json::array();
    for (const auto& r : f.related) j["related"].push_back(location_json(r));
    findings.push_back(std::move(j));
  }
  nlohmann::json out = {{"findings", std::move(findings)},
                        {"files_checked", report.files_checked},
                        {"errors", report.errors},
                        {"warnings", report.warnings},
                        {"notes", report.notes},
                        {"timed_out", report.timed_out}};
  // Manifests may hold invalid UTF-8; replace it rather than fail to report.
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace pushgate
