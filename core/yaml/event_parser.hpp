#pragma once
// libfyaml's event parser over bytes in memory, set up for untrusted input:
// events only (no document is built, so no alias is expanded and no merge
// key applied), no file is opened, no depth limit of its own (the caller
// counts nesting, and libfyaml's parser keeps its state on the heap), and
// diagnostics are collected for the caller instead of printed to stderr.
// Each thread reuses one parser from text to text.

#include <memory>
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

// A libfyaml parser and its diagnostics (event_parser.cpp).
struct FySession;

class EventParser {
 public:
  // Parses `text`, which must outlive the parser. Throws Failure when
  // libfyaml cannot set up a parser (out of memory).
  explicit EventParser(std::string_view text);
  ~EventParser();
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  // The next event, or an empty one at the end of the stream or at the first
  // error.
  FyEvent next() {
    fy_event* event = fy_parser_parse(m_parser);
    m_ended = event == nullptr;
    return {m_parser, event};
  }

  // Once next() returned an empty event: the error that stopped the stream,
  // or nothing when it ended normally.
  std::optional<SyntaxError> error() const;

 private:
  std::unique_ptr<FySession> m_session;
  fy_parser* m_parser;  // m_session's
  bool m_ended = false;  // next() reached the end of the stream or an error
};

}  // namespace pushgate::yaml
