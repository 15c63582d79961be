#pragma once
// Sets of lines of a file as sorted, disjoint, inclusive ranges: the lines a
// commit adds.

#include <utility>
#include <vector>

namespace pushgate::secrets {

using LineRange = std::pair<int, int>;  // first and last line, 1-based, inclusive
using LineRanges = std::vector<LineRange>;

// The lines in both `a` and `b`.
LineRanges intersect(const LineRanges& a, const LineRanges& b);

// True when `line` is in `ranges`.
bool contains(const LineRanges& ranges, int line);

}  // namespace pushgate::secrets
