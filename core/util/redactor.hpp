#pragma once
// Keeps secrets out of logs and notes: every occurrence of a secret value in
// a line is replaced by "***" before the line is written anywhere.

#include <string>
#include <string_view>
#include <vector>

#include "core/util/process.hpp"

namespace pushgate {

class Redactor {
 public:
  // `secrets` are the values to hide; empty values are ignored (they would
  // match everywhere). Each line of a multi-line value is hidden on its own,
  // since logs are redacted line by line.
  explicit Redactor(std::vector<std::string> secrets);

  // `text` with every secret value replaced by "***"; adjacent or
  // overlapping occurrences become one "***".
  std::string redact(std::string_view text) const;

  // A sink that redacts each line and passes it to `sink`. The Redactor is
  // copied into it, so the result may outlive this object.
  LineSink wrap(LineSink sink) const;

 private:
  std::vector<std::string> m_secrets;
};

inline constexpr std::string_view k_redacted = "***";

}  // namespace pushgate
