#pragma once
// One line of refs/notes/deploy/<env>: an RFC 3339 UTC timestamp, then
// key=value fields starting with env= and status=. Values with spaces,
// quotes or '=' are double-quoted with backslash escapes.
//
//   2026-11-26T07:30:00Z env=production status=succeeded job=17 duration_ms=840 pusher=alice

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pushgate {

// The statuses DESIGN.md defines.
enum class DeployStatus { succeeded, failed, superseded, rolled_back, interrupted, drifted, healed };

const char* to_string(DeployStatus status);
std::optional<DeployStatus> parse_deploy_status(std::string_view text);
// True for the statuses that end a job (all but interrupted, drifted).
bool is_final(DeployStatus status);

struct DeployRecord {
  std::string timestamp;  // RFC 3339 UTC
  std::string env;
  DeployStatus status = DeployStatus::succeeded;
  std::vector<std::pair<std::string, std::string>> fields;  // job, duration_ms, pusher, ...

  // The value of field `key`, or "".
  std::string field(std::string_view key) const;
};

// One line, without a trailing newline; newlines in values are escaped.
std::string format_record(const DeployRecord& record);
// Parses format_record's output; nullopt for a line that is not a record.
std::optional<DeployRecord> parse_record(std::string_view line);
// Every record in a note's text, in order; other lines are skipped.
std::vector<DeployRecord> parse_records(std::string_view note);

}  // namespace pushgate
