#include "validators/secrets/secret_output.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/util/terminal_text.hpp"

namespace pushgate::secrets {

namespace {

std::string plural(std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

}  // namespace

void print_secret_notes(const SecretReport& report, bool verbose, std::ostream& out) {
  for (const Finding& f : report.exempted) out << escape_control(format_exempted(f)) << '\n';
  if (!verbose) return;
  for (const std::string& s : report.skipped) out << "pushgate: secrets: " << escape_control(s) << '\n';
}

std::string summarize_secrets(const SecretReport& report) {
  std::string text = "secrets: ";
  if (report.commits > 0) text += plural(report.commits, "commit") + ", ";
  text += plural(report.files, "file") + " scanned";
  if (!report.exempted.empty()) text += fmt::format("; {} accepted", plural(report.exempted.size(), "finding"));
  if (!report.skipped.empty()) text += fmt::format("; {} not scanned (binary)", plural(report.skipped.size(), "file"));
  return text;
}

nlohmann::json secrets_json(const SecretReport& report) {
  nlohmann::json exempted = nlohmann::json::array();
  for (const Finding& f : report.exempted)
    exempted.push_back({{"path", f.where.path.view()},
                        {"line", f.where.line},
                        {"column", f.where.column},
                        {"rule", f.rule.view()},
                        {"message", fmt::format("{}: {}", f.message, f.exemption.view())}});
  return {{"commits", report.commits}, {"files", report.files},   {"bytes", report.bytes},
          {"exempted", exempted},      {"skipped", report.skipped}};
}

}  // namespace pushgate::secrets
