#include "core/util/redactor.hpp"

#include <algorithm>

namespace pushgate {

Redactor::Redactor(std::vector<std::string> secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    m_secrets.push_back(secret);
    if (secret.find('\n') == std::string::npos) continue;
    // Logs are redacted line by line, where a multi-line secret (a key
    // file) never appears whole: each of its lines is a secret of its own.
    for (std::size_t begin = 0; begin < secret.size();) {
      std::size_t end = std::min(secret.find('\n', begin), secret.size());
      std::string line = secret.substr(begin, end - begin);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) m_secrets.push_back(std::move(line));
      begin = end + 1;
    }
  }
}

std::string Redactor::redact(std::string_view text) const {
  // Mark every byte any secret covers in the original text, then hide each
  // run of marked bytes: overlapping secrets leave no part of either shown.
  std::vector<bool> hidden(text.size(), false);
  bool any = false;
  for (const auto& secret : m_secrets) {
    for (std::size_t at = text.find(secret); at != std::string_view::npos; at = text.find(secret, at + 1)) {
      std::fill(hidden.begin() + at, hidden.begin() + at + secret.size(), true);
      any = true;
    }
  }
  if (!any) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!hidden[i]) {
      out.push_back(text[i]);
    } else if (i == 0 || !hidden[i - 1]) {
      out += k_redacted;
    }
  }
  return out;
}

LineSink Redactor::wrap(LineSink sink) const {
  if (m_secrets.empty()) return sink;
  return [redactor = *this, sink = std::move(sink)](std::string_view line) {
    if (sink) sink(redactor.redact(line));
  };
}

}  // namespace pushgate
