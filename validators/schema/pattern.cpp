#include "validators/schema/pattern.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <fmt/format.h>

namespace pushgate::schema {

namespace {

// Steps and heap (KiB) one match may take: far above what a sane pattern
// needs on a manifest value, far below a second.
constexpr std::uint32_t k_match_limit = 200'000;
constexpr std::uint32_t k_heap_limit_kib = 4096;

}  // namespace

// The PCRE2 handles of one pattern, freed together.
struct Pattern::Code {
  pcre2_code* code = nullptr;
  pcre2_match_context* context = nullptr;
  ~Code() {
    pcre2_match_context_free(context);
    pcre2_code_free(code);
  }
};

Pattern::Pattern(std::string_view pattern) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &error, &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    m_error = fmt::format("{} at offset {}", reinterpret_cast<const char*>(message), offset);
    return;
  }
  m_code = std::make_unique<Code>();
  m_code->code = code;
  m_code->context = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(m_code->context, k_match_limit);
  pcre2_set_heap_limit(m_code->context, k_heap_limit_kib);
}

Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;

Pattern::Match Pattern::matches(std::string_view text) const {
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
      pcre2_match_data_create_from_pattern(m_code->code, nullptr), &pcre2_match_data_free);
  int rc = pcre2_match(m_code->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0, data.get(),
                       m_code->context);
  if (rc >= 0) return Match::yes;
  return rc == PCRE2_ERROR_NOMATCH ? Match::no : Match::too_costly;
}

}  // namespace pushgate::schema
