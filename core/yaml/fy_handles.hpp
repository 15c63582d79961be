#pragma once
// Move-only owners of libfyaml's C handles, so that every way out of the
// loader, early stops included, gives them back.

#include <libfyaml.h>

#include <memory>
#include <utility>

namespace pushgate::yaml {

struct FyParserDelete {
  void operator()(fy_parser* parser) const { fy_parser_destroy(parser); }
};
struct FyDiagDelete {
  void operator()(fy_diag* diag) const { fy_diag_destroy(diag); }
};
using FyParserPtr = std::unique_ptr<fy_parser, FyParserDelete>;
using FyDiagPtr = std::unique_ptr<fy_diag, FyDiagDelete>;

// One event of a parser, returned to that parser when the owner goes away.
// The parser must outlive it.
class FyEvent {
 public:
  FyEvent() = default;
  // Takes ownership of `event` (nullptr for none), which `parser` produced.
  FyEvent(fy_parser* parser, fy_event* event) : m_parser(parser), m_event(event) {}
  ~FyEvent() { reset(); }
  FyEvent(FyEvent&& other) noexcept
      : m_parser(other.m_parser), m_event(std::exchange(other.m_event, nullptr)) {}
  FyEvent& operator=(FyEvent&& other) noexcept {
    if (this != &other) {
      reset();
      m_parser = other.m_parser;
      m_event = std::exchange(other.m_event, nullptr);
    }
    return *this;
  }
  FyEvent(const FyEvent&) = delete;
  FyEvent& operator=(const FyEvent&) = delete;

  explicit operator bool() const { return m_event != nullptr; }
  // The event, still owned. Precondition: not empty.
  fy_event& operator*() const { return *m_event; }

 private:
  void reset() {
    if (m_event) fy_parser_event_free(m_parser, std::exchange(m_event, nullptr));
  }
  fy_parser* m_parser = nullptr;
  fy_event* m_event = nullptr;
};

}  // namespace pushgate::yaml
