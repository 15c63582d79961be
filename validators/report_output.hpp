#pragma once
// How a Report is shown: compiler-style lines for people (the hook's remote:
// lines, `pushgate validate`), JSON for scripts.

#include <cstddef>
#include <ostream>
#include <string>

#include "validators/engine.hpp"

namespace pushgate {

// Writes at most `max_findings` findings, one line each, then a line that
// counts the ones left out (naming validate.max_findings), if any. The lines
// are formatted on up to `threads` threads; the output is the same for any.
void print_findings(const Report& report, std::size_t max_findings, std::ostream& out, unsigned threads = 1);

// "2 errors, 1 warning in 3 files" / "no errors in 3 files", then
// exempted_suffix(report.notes).
std::string summarize(const Report& report);

// " (2 findings exempted by annotation)", or "" for none.
std::string exempted_suffix(std::size_t notes);

// Appends `notes`, exempted findings reported apart from the engine's (the
// secret scan's), to the findings, counted as notes: in the JSON and SARIF
// output every exempted finding is a note-level result.
void add_notes(Report& report, const std::vector<Finding>& notes);

// The whole report as one JSON object:
// {"findings":[{"path","line","column","severity","rule","message","related":[...],
//  "exemption" (notes only)}], "files_checked","errors","warnings","notes","timed_out"}.
std::string report_json(const Report& report);

}  // namespace pushgate
