#include "validators/yaml/tab_indentation.hpp"

namespace pushgate {

namespace {

constexpr std::size_t k_none = std::string_view::npos;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// True when the character before `i` allows a node to start at `i`: a quote
// or bracket there opens a quoted scalar or a flow collection rather than
// being part of a plain scalar such as `it's` or `a[0]`.
bool node_may_start(std::string_view line, std::size_t i) {
  if (i == 0) return true;
  char before = line[i - 1];
  return is_blank(before) || before == '[' || before == '{' || before == ',';
}

// Line-by-line state: which context a line starts in decides whether its
// leading tabs are indentation.
class Scanner {
 public:
  void line(std::string_view line, std::size_t offset, TabIndentation& found) {
    std::size_t spaces = line.find_first_not_of(' ');
    if (spaces == k_none) spaces = line.size();
    std::size_t content = line.find_first_not_of(" \t\r");
    if (content == k_none) return;  // blank lines never matter, even in block scalars
    if (m_in_block) {
      bool inside = m_block_indent == k_none ? spaces > m_block_parent : spaces >= m_block_indent;
      if (inside && m_block_indent == k_none) m_block_indent = spaces;
      if (inside) return;
      m_in_block = false;
    }
    bool in_flow = m_flow_depth > 0 || m_quote != 0;
    if (!in_flow && line[spaces] == '\t' && line[content] != '#') {
      if (found.lines++ == 0) found.first = offset + spaces;
    }
    scan(line, spaces);
  }

 private:
  // Follows quotes, flow brackets and comments through `line`, and notes a
  // block scalar header at its end.
  void scan(std::string_view line, std::size_t from) {
    std::size_t last = k_none;  // last character outside a comment that is not blank
    for (std::size_t i = from; i < line.size(); ++i) {
      char c = line[i];
      if (m_quote == '"') {
        if (c == '\\') ++i;
        else if (c == '"') m_quote = 0;
        continue;
      }
      if (m_quote == '\'') {
        if (c == '\'' && i + 1 < line.size() && line[i + 1] == '\'') ++i;
        else if (c == '\'') m_quote = 0;
        continue;
      }
      if (c == '#' && (i == 0 || is_blank(line[i - 1]))) break;
      if ((c == '"' || c == '\'') && node_may_start(line, i)) m_quote = c;
      else if ((c == '[' || c == '{') && (m_flow_depth > 0 || node_may_start(line, i))) ++m_flow_depth;
      else if ((c == ']' || c == '}') && m_flow_depth > 0) --m_flow_depth;
      if (c != '\r' && !is_blank(c)) last = i;
    }
    if (m_quote == 0 && m_flow_depth == 0 && last != k_none && is_block_header(line, last)) {
      m_in_block = true;
      m_block_parent = line.find_first_not_of(' ');
      m_block_indent = k_none;
    }
  }

  // `|`, `>`, `|-`, `>+2`, ... ending at `last`, after a blank or at the
  // start of the line.
  static bool is_block_header(std::string_view line, std::size_t last) {
    std::size_t i = last;
    while (i > 0 && (line[i] == '-' || line[i] == '+' || (line[i] >= '1' && line[i] <= '9')) &&
           last - i < 2)
      --i;
    if (line[i] != '|' && line[i] != '>') return false;
    return i == 0 || is_blank(line[i - 1]);
  }

  bool m_in_block = false;
  std::size_t m_block_parent = 0;        // indentation of the header's line
  std::size_t m_block_indent = k_none;   // indentation of the text, once seen
  int m_flow_depth = 0;
  char m_quote = 0;
};

}  // namespace

TabIndentation find_tab_indentation(std::string_view text) {
  TabIndentation found;
  Scanner scanner;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == k_none) end = text.size();
    scanner.line(text.substr(start, end - start), start, found);
    start = end + 1;
  }
  return found;
}

}  // namespace pushgate
