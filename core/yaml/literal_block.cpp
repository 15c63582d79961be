#include "core/yaml/literal_block.hpp"

namespace pushgate::yaml {

namespace {

enum class Chomping { clip, strip };

// The chomping of the header line that ends just before `begin`, when the
// header is `|` or `|-` alone after the node's properties.
bool read_header(std::string_view text, std::size_t begin, Chomping& chomping) {
  if (begin < 2 || begin > text.size() || text[begin - 1] != '\n') return false;
  std::size_t before = text.rfind('\n', begin - 2);
  std::size_t line = before == std::string_view::npos ? 0 : before + 1;
  std::string_view header = text.substr(line, begin - 1 - line);
  if (header.find_first_of("#\t\r") != std::string_view::npos) return false;
  header = header.substr(0, header.find_last_not_of(' ') + 1);
  chomping = header.ends_with('-') ? Chomping::strip : Chomping::clip;
  if (chomping == Chomping::strip) header.remove_suffix(1);
  return header.ends_with('|') && (header.size() == 1 || header[header.size() - 2] == ' ');
}

}  // namespace

bool read_literal_block(std::string_view text, std::size_t begin, std::size_t end, std::string& out) {
  Chomping chomping;
  if (end > text.size() || begin >= end || !read_header(text, begin, chomping)) return false;
  std::string_view body = text.substr(begin, end - begin);
  // Two memchr passes: find_first_of would test every byte against a set.
  if (body.find('\t') != std::string_view::npos || body.find('\r') != std::string_view::npos) return false;
  std::size_t indent = std::string_view::npos;  // of the first line with content
  std::size_t kept = 0;                          // out's size up to the last content line
  out.clear();
  for (std::size_t at = 0; at < body.size();) {
    std::size_t stop = body.find('\n', at);
    std::string_view line = body.substr(at, stop == std::string_view::npos ? std::string_view::npos : stop - at);
    at = stop == std::string_view::npos ? body.size() : stop + 1;
    std::size_t spaces = 0;
    while (spaces < line.size() && line[spaces] == ' ') ++spaces;
    if (spaces == line.size()) {
      // An empty line; leading ones, and lines of spaces deeper than the
      // content (which hold spaces), are left to libfyaml.
      if (indent == std::string_view::npos || line.size() > indent) return false;
      out += '\n';
      continue;
    }
    if (indent == std::string_view::npos) {
      if (spaces == 0) return false;
      indent = spaces;
    }
    if (spaces < indent) return false;
    out.append(line.substr(indent));
    kept = out.size();
    out += '\n';
  }
  if (indent == std::string_view::npos) return false;
  // Clipped: the last content line keeps its line break (one is added at
  // the end of the text), the empty lines after it go.
  out.resize(chomping == Chomping::strip ? kept : kept + 1);
  return true;
}

}  // namespace pushgate::yaml
