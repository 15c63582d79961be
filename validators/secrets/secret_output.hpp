#pragma once
// How a SecretReport is shown: the hook's remote: lines and `pushgate
// validate`'s text and JSON.

#include <cstddef>
#include <ostream>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "validators/secrets/secret_report.hpp"

namespace pushgate::secrets {

// Writes every exempted finding as a note line (an exemption is never
// silent), then, with `verbose`, the files that were not scanned. The
// findings themselves are printed with the others (report_output.hpp). All
// text from the push is escaped.
void print_secret_notes(const SecretReport& report, bool verbose, std::ostream& out);

// "secrets: 3 commits, 12 files scanned; 1 finding accepted; 1 file not scanned (binary)".
std::string summarize_secrets(const SecretReport& report);

// {"commits","files","bytes","exempted":[{path,line,column,rule,message}],"skipped":[...]}.
nlohmann::json secrets_json(const SecretReport& report);

}  // namespace pushgate::secrets
