#pragma once
// "did you mean ...?" for a misspelt field name.

#include <string>
#include <string_view>
#include <vector>

namespace pushgate::schema {

// The candidate closest to `word` when it is close enough to be a likely
// misspelling (differs only in case, or by at most a third of its letters,
// two at most), else "".
std::string closest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace pushgate::schema
