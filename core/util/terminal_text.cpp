#include "core/util/terminal_text.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <cstring>

namespace pushgate {

namespace {

// Length of the valid UTF-8 sequence that starts `text`, or 0 when it is
// not one (overlong forms, surrogates and code points past U+10FFFF count as
// invalid, as in the UTF-8 RFC 3629).
std::size_t utf8_length(std::string_view text) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (lead < 0xC2 || lead > 0xF4 || text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i)
    if ((byte(i) & 0xC0) != 0x80) return 0;
  unsigned char second = byte(1);
  if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
  if (lead == 0xED && second > 0x9F) return 0;  // surrogate
  if (lead == 0xF0 && second < 0x90) return 0;  // overlong
  if (lead == 0xF4 && second > 0x8F) return 0;  // past U+10FFFF
  return length;
}

// C1 controls are U+0080..U+009F, encoded as C2 80..C2 9F.
bool is_c1(std::string_view sequence) {
  return sequence.size() == 2 && static_cast<unsigned char>(sequence[0]) == 0xC2 &&
         static_cast<unsigned char>(sequence[1]) < 0xA0;
}

void append_hex(std::string& out, std::string_view bytes) {
  for (char c : bytes) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
}

// Whether all eight bytes of `word` are printable ASCII (and none is a
// backslash, with Backslash::escape): the "has a byte less than n" and "has
// a zero byte" tricks on one 64-bit word, which are exact for ASCII bytes.
bool plain_word(std::string_view word, Backslash backslash) {
  constexpr std::uint64_t k_ones = 0x0101010101010101u;
  constexpr std::uint64_t k_highs = 0x8080808080808080u;
  std::uint64_t x;
  std::memcpy(&x, word.data(), sizeof x);
  auto has_zero = [&](std::uint64_t v) { return ((v - k_ones) & ~v & k_highs) != 0; };
  if (x & k_highs) return false;                               // not ASCII
  if (((x - k_ones * 0x20) & ~x & k_highs) != 0) return false;  // a control character
  if (has_zero(x ^ (k_ones * 0x7F))) return false;              // DEL
  return backslash == Backslash::keep || !has_zero(x ^ (k_ones * '\\'));
}

}  // namespace

std::string escape_control(std::string_view text, Backslash backslash) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text, backslash);
  return out;
}

void append_escaped(std::string& out, std::string_view text, Backslash backslash) {
  auto plain = [&](char c) { return c >= 0x20 && c < 0x7F && (c != '\\' || backslash == Backslash::keep); };
  for (std::size_t i = 0; i < text.size();) {
    // Most text is printable ASCII: kept a run at a time, found eight bytes
    // at a step.
    std::size_t run = i;
    while (run + 8 <= text.size() && plain_word(text.substr(run, 8), backslash)) run += 8;
    while (run < text.size() && plain(text[run])) ++run;
    out.append(text.substr(i, run - i));
    if ((i = run) == text.size()) break;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\\': out += backslash == Backslash::escape ? "\\\\" : "\\"; break;
        default:
          if (c < 0x20 || c == 0x7F) append_hex(out, text.substr(i, 1));
          else out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    std::size_t length = utf8_length(text.substr(i));
    if (length == 0) {
      append_hex(out, text.substr(i, 1));
      ++i;
      continue;
    }
    std::string_view sequence = text.substr(i, length);
    if (is_c1(sequence)) append_hex(out, sequence);
    else out += sequence;
    i += length;
  }
}

std::string escape_lines(std::string_view text, Backslash backslash) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    bool has_break = nl != std::string_view::npos;
    if (has_break && line.ends_with('\r')) line.remove_suffix(1);
    append_escaped(out, line, backslash);
    if (has_break) out += '\n';
    text = has_break ? text.substr(nl + 1) : std::string_view();
  }
  return out;
}

}  // namespace pushgate
