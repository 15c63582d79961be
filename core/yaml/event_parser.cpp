#include "core/yaml/event_parser.hpp"

#include <algorithm>

#include "core/util/error.hpp"

namespace pushgate::yaml {

struct FySession {
  std::string printed;  // what libfyaml printed instead of collecting it
  FyDiagPtr diag;
  FyParserPtr parser;  // after diag: it holds a reference to it
};

namespace {

// Libfyaml's errors are collected with their position and read back through
// fy_diag_errors_iterate. A few (`|0`, a bad indentation indicator) are
// printed instead, as bare text: that is kept as the message. Nothing is ever
// written to the hook's stderr, which the pusher would see raw.
constexpr std::size_t k_max_printed = 1024;

void keep(fy_diag*, void* user, const char* text, size_t length) {
  auto& printed = *static_cast<std::string*>(user);
  if (printed.size() < k_max_printed) printed.append(text, std::min(length, k_max_printed - printed.size()));
}

FyDiagPtr collecting_diag(std::string& printed) {
  fy_diag_cfg cfg;
  fy_diag_cfg_default(&cfg);
  cfg.fp = nullptr;
  cfg.output_fn = keep;
  cfg.user = &printed;
  cfg.level = FYET_ERROR;
  cfg.colorize = false;
  cfg.show_source = cfg.show_position = cfg.show_type = cfg.show_module = false;
  cfg.source_width = cfg.position_width = cfg.type_width = cfg.module_width = 0;
  FyDiagPtr diag(fy_diag_create(&cfg));
  if (!diag) throw Failure(ErrorCode::internal, "libfyaml: cannot create a diagnostics object");
  fy_diag_set_collect_errors(diag.get(), true);
  return diag;
}

// Creating a libfyaml parser and its diagnostics costs about as much as
// parsing a small manifest, so each thread keeps one between texts. One that
// saw an error, or stopped before the end, is dropped: its diagnostics or
// state must not reach the next text.
thread_local std::unique_ptr<FySession> t_idle;

std::unique_ptr<FySession> new_session() {
  auto session = std::make_unique<FySession>();
  session->diag = collecting_diag(session->printed);
  fy_parse_cfg cfg{};
  cfg.search_path = "";
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_DISABLE_DEPTH_LIMIT | FYPCF_JSON_NONE);
  cfg.diag = session->diag.get();
  session->parser.reset(fy_parser_create(&cfg));
  if (!session->parser) throw Failure(ErrorCode::internal, "libfyaml: cannot create a parser");
  return session;
}

}  // namespace

EventParser::EventParser(std::string_view text)
    : m_session(t_idle ? std::move(t_idle) : new_session()), m_parser(m_session->parser.get()) {
  if (fy_parser_set_string(m_parser, text.data(), text.size()) != 0)
    throw Failure(ErrorCode::internal, "libfyaml: cannot read a text");
}

EventParser::~EventParser() {
  // libfyaml does not reset a parser cleanly in the middle of a stream. At
  // its end, it takes a new text as it is: fy_parser_set_string accepts one
  // there, and every document starts from a fresh document state (no %TAG
  // of this text reaches the next). fy_parser_reset would build that state
  // once more, which costs as much as parsing a small manifest.
  if (m_ended && !fy_parser_get_stream_error(m_parser) && m_session->printed.empty()) t_idle = std::move(m_session);
}

std::optional<SyntaxError> EventParser::error() const {
  if (!fy_parser_get_stream_error(m_parser)) return std::nullopt;
  void* iter = nullptr;
  while (const fy_diag_error* e = fy_diag_errors_iterate(m_session->diag.get(), &iter)) {
    if (e->type < FYET_ERROR || !e->msg) continue;
    // libfyaml's collected positions are already 1-based.
    Mark at = e->line > 0 && e->column > 0 ? Mark{e->line, e->column} : Mark{};
    return SyntaxError{at, e->msg};
  }
  std::string_view printed = m_session->printed;
  printed = printed.substr(0, printed.find('\n'));
  return SyntaxError{{}, printed.empty() ? "not valid YAML" : std::string(printed)};
}

}  // namespace pushgate::yaml
