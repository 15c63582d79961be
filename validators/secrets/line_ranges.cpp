#include "validators/secrets/line_ranges.hpp"

#include <algorithm>

namespace pushgate::secrets {

LineRanges intersect(const LineRanges& a, const LineRanges& b) {
  LineRanges out;
  auto i = a.begin(), j = b.begin();
  while (i != a.end() && j != b.end()) {
    int first = std::max(i->first, j->first);
    int last = std::min(i->second, j->second);
    if (first <= last) out.emplace_back(first, last);
    if (i->second < j->second) ++i;
    else ++j;
  }
  return out;
}

bool contains(const LineRanges& ranges, int line) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), line,
                             [](int l, const LineRange& r) { return l < r.first; });
  return it != ranges.begin() && std::prev(it)->second >= line;
}

}  // namespace pushgate::secrets
