#include "core/yaml/event_parser.hpp"

#include "core/util/error.hpp"

namespace pushgate::yaml {

namespace {

// Collected errors are read back through fy_diag_errors_iterate; nothing is
// ever written to the hook's stderr, which the pusher would see raw.
void discard(fy_diag*, void*, const char*, size_t) {}

FyDiagPtr collecting_diag() {
  fy_diag_cfg cfg;
  fy_diag_cfg_default(&cfg);
  cfg.fp = nullptr;
  cfg.output_fn = discard;
  cfg.level = FYET_ERROR;
  cfg.colorize = false;
  FyDiagPtr diag(fy_diag_create(&cfg));
  if (!diag) throw Failure(ErrorCode::internal, "libfyaml: cannot create a diagnostics object");
  fy_diag_set_collect_errors(diag.get(), true);
  return diag;
}

}  // namespace

EventParser::EventParser(std::string_view text) : m_diag(collecting_diag()) {
  fy_parse_cfg cfg{};
  cfg.search_path = "";
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_DISABLE_DEPTH_LIMIT | FYPCF_JSON_NONE);
  cfg.diag = m_diag.get();
  m_parser.reset(fy_parser_create(&cfg));
  if (!m_parser || fy_parser_set_string(m_parser.get(), text.data(), text.size()) != 0)
    throw Failure(ErrorCode::internal, "libfyaml: cannot create a parser");
}

std::optional<SyntaxError> EventParser::error() const {
  if (!fy_parser_get_stream_error(m_parser.get())) return std::nullopt;
  void* iter = nullptr;
  while (const fy_diag_error* e = fy_diag_errors_iterate(m_diag.get(), &iter)) {
    if (e->type < FYET_ERROR || !e->msg) continue;
    // libfyaml's collected positions are already 1-based.
    Mark at = e->line > 0 && e->column > 0 ? Mark{e->line, e->column} : Mark{};
    return SyntaxError{at, e->msg};
  }
  return SyntaxError{{}, "not valid YAML"};
}

}  // namespace pushgate::yaml
