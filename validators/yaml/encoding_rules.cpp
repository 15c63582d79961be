#include "validators/yaml/encoding_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "validators/file_findings.hpp"
#include "validators/yaml/tab_indentation.hpp"

namespace pushgate {

namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";
constexpr std::size_t k_none = std::string_view::npos;

// 1-based line and column of `offset`, the column in characters as libfyaml
// counts them (a tab is one). Only called once a problem is found, so
// counting from the start is cheap enough.
yaml::Mark mark_at(std::string_view text, std::size_t offset) {
  auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
  std::size_t line_start = offset == 0 ? k_none : text.rfind('\n', offset - 1);
  line_start = line_start == k_none ? 0 : line_start + 1;
  auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  auto skipped = std::count_if(text.begin() + static_cast<std::ptrdiff_t>(line_start),
                               text.begin() + static_cast<std::ptrdiff_t>(offset), continuation);
  return {static_cast<int>(line), static_cast<int>(offset - line_start - static_cast<std::size_t>(skipped) + 1)};
}

// Offset of the first byte that does not belong to a well-formed UTF-8
// sequence (no overlong forms, surrogates or code points past U+10FFFF).
std::size_t first_invalid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Manifests are nearly all ASCII: skip eight such bytes at a time.
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) length = 2;
    else if (c == 0xE0) length = 3, low = 0xA0;
    else if (c == 0xED) length = 3, high = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) length = 3;
    else if (c == 0xF0) length = 4, low = 0x90;
    else if (c == 0xF4) length = 4, high = 0x8F;
    else if (c >= 0xF1 && c <= 0xF3) length = 4;
    else return i;
    if (i + length > n || p[i + 1] < low || p[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += length;
  }
  return k_none;
}

// Any case: Windows users name files FOO.JSON too.
bool is_json(std::string_view path) {
  constexpr std::string_view k_extension = ".json";
  if (path.size() < k_extension.size()) return false;
  std::string_view ext = path.substr(path.size() - k_extension.size());
  return std::equal(ext.begin(), ext.end(), k_extension.begin(),
                    [](char a, char b) { return (a | 0x20) == b; });
}

}  // namespace

bool check_size(const ManifestEntry& entry, std::uint64_t size, std::uint64_t limit,
                std::vector<Finding>& out) {
  if (size <= limit) return true;
  FileFindings(entry.path, out)
      .add("yaml.size", Severity::error, {},
           fmt::format("file is {} bytes, over the limit of {} bytes (validate.limits.file_size): "
                       "split it into smaller manifests or ask the administrator to raise the limit",
                       size, limit));
  return false;
}

bool check_bytes(const ManifestEntry& entry, std::string_view bytes, std::vector<Finding>& out) {
  FileFindings findings(entry.path, out);
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    findings.add("yaml.utf8", Severity::error, {1, 1},
                 "file is UTF-16 encoded: save it as UTF-8");
    return false;
  }
  std::string_view text = bytes;
  bool bom = text.starts_with(k_bom);
  if (bom) text.remove_prefix(k_bom.size());
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    yaml::Mark at = mark_at(text, static_cast<const char*>(nul) - text.data());
    findings.add("yaml.binary", Severity::error, at,
                 fmt::format("binary content (NUL byte at line {}, column {}): not a text manifest",
                             at.line, at.column));
    return false;
  }
  // The first line of every git LFS pointer: the manifest itself is in an LFS
  // store the server does not read, and the pointer is what would be deployed.
  if (text.starts_with("version https://git-lfs.github.com/spec/v1\n") ||
      text.starts_with("version https://git-lfs.github.com/spec/v1\r\n")) {
    findings.add("yaml.lfs-pointer", Severity::warning, {1, 1},
                 "this is a git LFS pointer, not a manifest: the server validates and deploys the "
                 "pointer, not the file in LFS storage. Commit the manifest itself (git lfs untrack, "
                 "then git add --renormalize), or leave it out with validate.exclude");
    return false;
  }
  if (bom) {
    findings.add("yaml.bom", Severity::warning, {1, 1},
                 "file starts with a UTF-8 byte order mark: remove it, some tools read it as part "
                 "of the first key");
  }
  std::size_t bad = first_invalid_utf8(text);
  if (bad != k_none) {
    yaml::Mark at = mark_at(text, bad);
    findings.add("yaml.utf8", Severity::error, at,
                 fmt::format("invalid UTF-8 (byte 0x{:02X} at line {}, column {}): manifests must "
                             "be UTF-8 text; re-save the file as UTF-8",
                             static_cast<unsigned char>(text[bad]), at.line, at.column));
  }
  if (std::size_t cr = text.find("\r\n"); cr != k_none) {
    yaml::Mark at = mark_at(text, cr);
    findings.add("yaml.crlf", Severity::warning, at,
                 fmt::format("CRLF (Windows) line endings, first on line {}: use LF line endings "
                             "(git config core.autocrlf input)",
                             at.line));
  }
  if (!is_json(entry.path) && std::memchr(text.data(), '\t', text.size())) {
    TabIndentation tabs = find_tab_indentation(text);
    if (tabs.lines > 0) {
      std::size_t others = tabs.lines - 1;
      std::string more = others ? fmt::format(" ({} more line{} like this)", others, others == 1 ? "" : "s") : "";
      // A warning: the parser rejects the tabs YAML forbids (yaml.syntax) and
      // accepts the others, which some tools still read as indentation.
      findings.add("yaml.tabs", Severity::warning, mark_at(text, tabs.first),
                   fmt::format("tab character at the start of a line: use spaces, other tools may "
                               "read it as indentation, which YAML allows only with spaces{}",
                               more));
    }
  }
  return bad == k_none;
}

}  // namespace pushgate
