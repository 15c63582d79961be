#include "validators/secrets/secret_scanner.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <fmt/format.h>

#include "core/util/error.hpp"
#include "validators/secrets/value_checks.hpp"

namespace pushgate::secrets {

namespace {

using CodePtr = std::unique_ptr<pcre2_code, decltype(&pcre2_code_free)>;
using MatchDataPtr = std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)>;

bool passes(ValueCheck check, std::string_view value) {
  switch (check) {
    case ValueCheck::none:
    case ValueCheck::private_key: return true;
    case ValueCheck::not_placeholder: return !is_placeholder(value);
    case ValueCheck::jwt_header: return is_jwt(value);
    case ValueCheck::generic_value: return is_generic_secret(value);
  }
  return false;
}

}  // namespace

struct SecretScanner::Compiled {
  const SecretPattern* pattern;
  CodePtr code;
};

SecretScanner::SecretScanner() {
  const auto& patterns = secret_patterns();
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    const SecretPattern& p = patterns[i];
    int error = 0;
    PCRE2_SIZE at = 0;
    // Anchored at the start offset: the anchor is where a match begins.
    CodePtr code(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(p.regex.data()), p.regex.size(), PCRE2_ANCHORED, &error,
                               &at, nullptr),
                 &pcre2_code_free);
    if (!code) {
      PCRE2_UCHAR message[256];
      pcre2_get_error_message(error, message, sizeof message);
      throw Failure(ErrorCode::internal, fmt::format("secret pattern of {} does not compile at {}: {}", p.rule, at,
                                                     reinterpret_cast<const char*>(message)));
    }
    // Without JIT (a platform PCRE2 lacks it for) the interpreter matches the same.
    pcre2_jit_compile(code.get(), PCRE2_JIT_COMPLETE);
    m_compiled.push_back({&p, std::move(code)});
    for (std::string_view anchor : p.anchors) m_anchors.add(anchor, p.anchor_case, i);
  }
}

SecretScanner::~SecretScanner() = default;

// Match data, made on the first anchor hit: most texts have none.
struct SecretScanner::Scratch {
  MatchDataPtr data{nullptr, &pcre2_match_data_free};
  pcre2_match_data* get() {
    if (!data) data.reset(pcre2_match_data_create(4, nullptr));
    return data.get();
  }
};

std::optional<SecretMatch> SecretScanner::match_at(std::string_view text, std::size_t at, std::size_t tag,
                                                   Scratch& scratch) const {
  const Compiled& c = m_compiled[tag];
  pcre2_match_data* data = scratch.get();
  int rc = pcre2_match(c.code.get(), reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), at, 0, data, nullptr);
  if (rc < 2) return std::nullopt;
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data);
  std::string_view value = text.substr(ov[2], ov[3] - ov[2]);
  if (!passes(c.pattern->check, value)) return std::nullopt;
  if (c.pattern->check == ValueCheck::generic_value && has_specific(text, ov[2], ov[3], scratch)) return std::nullopt;
  SecretMatch m{c.pattern, ov[2], ov[1], std::string(value),
                std::string(value.substr(0, std::min(c.pattern->shown, value.size())))};
  if (c.pattern->check == ValueCheck::private_key) {
    auto body = pem_body(text, ov[3]);
    if (!body) return std::nullopt;
    m.offset = at - std::min<std::size_t>(at, 5);  // the dashes before BEGIN
    m.shown = fmt::format("-----{}", value);
    m.secret = std::move(*body);
  }
  return m;
}

bool SecretScanner::has_specific(std::string_view text, std::size_t begin, std::size_t end, Scratch& scratch) const {
  bool found = false;
  m_anchors.find(text, begin, end, [&](std::size_t at, std::size_t tag) -> std::size_t {
    if (m_compiled[tag].pattern->check != ValueCheck::generic_value && match_at(text, at, tag, scratch)) found = true;
    return found ? end : at + 1;
  });
  return found;
}

void SecretScanner::scan(std::string_view text, std::size_t begin, std::size_t end,
                         std::vector<SecretMatch>& out) const {
  Scratch scratch;
  std::size_t taken_until = 0;  // end of the last match: one finding per secret
  // Anchors of several patterns at one position come in pattern order.
  m_anchors.find(text, begin, end, [&](std::size_t at, std::size_t tag) -> std::size_t {
    if (at < taken_until) return at + 1;
    auto m = match_at(text, at, tag, scratch);
    if (!m) return at + 1;
    taken_until = m->end;
    out.push_back(std::move(*m));
    return taken_until;
  });
}

std::string masked(const SecretMatch& match) {
  if (match.pattern->check == ValueCheck::private_key) return match.shown;
  return match.shown + "****";
}

}  // namespace pushgate::secrets
