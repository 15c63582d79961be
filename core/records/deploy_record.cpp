#include "core/records/deploy_record.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace pushgate {

namespace {

constexpr DeployStatus k_statuses[] = {DeployStatus::succeeded,   DeployStatus::failed,
                                       DeployStatus::superseded,  DeployStatus::rolled_back,
                                       DeployStatus::interrupted, DeployStatus::drifted,
                                       DeployStatus::healed};

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// Keys are chosen by pushgate, not users; any other character would make
// the line ambiguous, so it becomes '_'.
std::string format_key(std::string_view key) {
  std::string out(key.empty() ? "_" : key);
  for (char& c : out)
    if (!is_key_char(c)) c = '_';
  return out;
}

// Values that a reader could split or misread are quoted; bytes >= 0x80
// (UTF-8) stay as they are so names read naturally in `git log --notes`.
std::string format_value(std::string_view value) {
  bool plain = !value.empty();
  for (char c : value) plain &= c != ' ' && c != '"' && c != '=' && c != '\\' && !is_control(c);
  if (plain) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (is_control(c)) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        else out += c;
    }
  }
  return out + "\"";
}

bool looks_like_timestamp(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS, then fractions and a zone as RFC 3339 allows.
  constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  if (t.size() < shape.size() + 1) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    bool ok = shape[i] == 'd' ? std::isdigit(static_cast<unsigned char>(t[i])) != 0 : t[i] == shape[i];
    if (!ok) return false;
  }
  return true;
}

// Reads a double-quoted value starting at line[pos] == '"'; advances pos
// past the closing quote. nullopt when it is not closed or an escape is bad.
std::optional<std::string> read_quoted(std::string_view line, std::size_t& pos) {
  std::string out;
  for (++pos; pos < line.size(); ++pos) {
    char c = line[pos];
    if (c == '"') {
      ++pos;
      return out;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++pos == line.size()) return std::nullopt;
    switch (line[pos]) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'x': {
        unsigned byte = 0;
        auto hex = line.substr(pos + 1, 2);
        auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), byte, 16);
        if (hex.size() != 2 || ec != std::errc() || end != hex.data() + 2) return std::nullopt;
        out += static_cast<char>(byte);
        pos += 2;
        break;
      }
      default: return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(DeployStatus status) {
  switch (status) {
    case DeployStatus::succeeded: return "succeeded";
    case DeployStatus::failed: return "failed";
    case DeployStatus::superseded: return "superseded";
    case DeployStatus::rolled_back: return "rolled-back";
    case DeployStatus::interrupted: return "interrupted";
    case DeployStatus::drifted: return "drifted";
    case DeployStatus::healed: return "healed";
  }
  return "unknown";
}

std::optional<DeployStatus> parse_deploy_status(std::string_view text) {
  for (DeployStatus s : k_statuses)
    if (text == to_string(s)) return s;
  return std::nullopt;
}

bool is_final(DeployStatus status) {
  return status != DeployStatus::interrupted && status != DeployStatus::drifted;
}

std::string DeployRecord::field(std::string_view key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return v;
  return "";
}

std::string format_record(const DeployRecord& record) {
  std::string line = fmt::format("{} env={} status={}", record.timestamp, format_value(record.env),
                                 to_string(record.status));
  for (const auto& [key, value] : record.fields)
    line += fmt::format(" {}={}", format_key(key), format_value(value));
  return line;
}

std::optional<DeployRecord> parse_record(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  std::size_t pos = line.find(' ');
  if (pos == std::string_view::npos || !looks_like_timestamp(line.substr(0, pos))) return std::nullopt;
  DeployRecord record;
  record.timestamp = std::string(line.substr(0, pos));
  bool has_env = false;
  bool has_status = false;
  while (true) {
    while (pos < line.size() && line[pos] == ' ') ++pos;
    if (pos == line.size()) break;
    std::size_t key_start = pos;
    while (pos < line.size() && is_key_char(line[pos])) ++pos;
    if (pos == key_start || pos == line.size() || line[pos] != '=') return std::nullopt;
    std::string key(line.substr(key_start, pos - key_start));
    ++pos;
    std::string value;
    if (pos < line.size() && line[pos] == '"') {
      auto quoted = read_quoted(line, pos);
      if (!quoted || (pos < line.size() && line[pos] != ' ')) return std::nullopt;
      value = std::move(*quoted);
    } else {
      std::size_t end = std::min(line.find(' ', pos), line.size());
      value = std::string(line.substr(pos, end - pos));
      pos = end;
    }
    if (key == "env" && !has_env) {
      record.env = std::move(value);
      has_env = true;
    } else if (key == "status" && !has_status) {
      auto status = parse_deploy_status(value);
      if (!status) return std::nullopt;
      record.status = *status;
      has_status = true;
    } else {
      record.fields.emplace_back(std::move(key), std::move(value));
    }
  }
  if (!has_env || !has_status) return std::nullopt;
  return record;
}

std::vector<DeployRecord> parse_records(std::string_view note) {
  std::vector<DeployRecord> records;
  while (!note.empty()) {
    std::size_t end = std::min(note.find('\n'), note.size());
    if (auto record = parse_record(note.substr(0, end))) records.push_back(std::move(*record));
    note.remove_prefix(std::min(end + 1, note.size()));
  }
  return records;
}

}  // namespace pushgate
