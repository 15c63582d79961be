#include "validators/report_output.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

#include "core/util/parallel_for.hpp"

namespace pushgate {

namespace {

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

nlohmann::json location_json(const Location& where) {
  return {{"path", where.path.view()}, {"line", where.line}, {"column", where.column}};
}

}  // namespace

void print_findings(const Report& report, std::size_t max_findings, std::ostream& out, unsigned threads) {
  // Blocks of lines are formatted on `threads` threads, a round of one block
  // each at a time, and written in order: a large tree has tens of thousands
  // of lines, and this is the last thing the run does.
  constexpr std::size_t k_block = 2048;
  std::size_t shown = std::min(max_findings, report.findings.size());
  std::size_t blocks = (shown + k_block - 1) / k_block;
  std::vector<std::string> texts(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(blocks, 1)));
  for (std::size_t round = 0; round < blocks; round += texts.size()) {
    std::size_t count = std::min(texts.size(), blocks - round);
    parallel_for(count, threads, [&](std::size_t j) {
      std::string& text = texts[j];
      text.clear();
      for (std::size_t i = (round + j) * k_block; i < std::min(shown, (round + j + 1) * k_block); ++i) {
        append_escaped_finding(text, report.findings[i]);  // paths and values come from the push
        text += '\n';
      }
      return true;
    });
    for (std::size_t j = 0; j < count; ++j) out.write(texts[j].data(), static_cast<std::streamsize>(texts[j].size()));
  }
  if (shown < report.findings.size()) {
    out << fmt::format("... and {} more (validate.max_findings is {})\n",
                       plural(report.findings.size() - shown, "finding"), max_findings);
  }
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
    j["rule"] = f.rule.view();
    j["message"] = f.message;
    if (!f.exemption.empty()) j["exemption"] = f.exemption.view();
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
