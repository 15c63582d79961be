#pragma once
// libfyaml's event parser over bytes in memory, set up for untrusted input:
// events only (no document is built, so no alias is expanded and no merge
// key applied), no file is opened, no depth limit of its own (the caller
// counts nesting, and libfyaml's parser keeps its state on the heap), and
// diagnostics are collected for the caller instead of printed to stderr.

#include <optional>
#include <string>
#include <string_view>

#include "core/yaml/fy_handles.hpp"
#include "core/yaml/yaml_tree.hpp"

namespace pushgate::yaml {

// What stopped a stream that is not YAML, in libfyaml's words.
struct SyntaxError {
  Mark mark;  // 0:0 when libfyaml did not say where
  std::string message;
};

class EventParser {
 public:
  // Parses `text`, which must outlive the parser. Throws Failure when
  // libfyaml cannot set up a parser (out of memory).
  explicit EventParser(std::string_view text);
  // libfyaml holds a pointer to m_printed.
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  // The next event, or an empty one at the end of the stream or at the first
  // error.
  FyEvent next() { return {m_parser.get(), fy_parser_parse(m_parser.get())}; }

  // Once next() returned an empty event: the error that stopped the stream,
  // or nothing when it ended normally.
  std::optional<SyntaxError> error() const;

 private:
  std::string m_printed;  // what libfyaml printed instead of collecting it
  FyDiagPtr m_diag;
  FyParserPtr m_parser;  // after m_diag: it holds a reference to it
};

}  // namespace pushgate::yaml
