#include "core/util/glob.hpp"

namespace pushgate {

namespace {

std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> parts;
  while (true) {
    auto slash = s.find('/');
    parts.push_back(s.substr(0, slash));
    if (slash == std::string_view::npos) break;
    s.remove_prefix(slash + 1);
  }
  return parts;
}

// Matches one `[...]` class at p (p points past '['); advances p past ']'.
bool match_class(std::string_view pat, std::size_t& p, char c) {
  bool negate = p < pat.size() && (pat[p] == '!' || pat[p] == '^');
  if (negate) ++p;
  bool hit = false;
  std::size_t start = p;
  while (p < pat.size() && (pat[p] != ']' || p == start)) {
    if (p + 2 < pat.size() && pat[p + 1] == '-' && pat[p + 2] != ']') {
      hit |= pat[p] <= c && c <= pat[p + 2];
      p += 3;
    } else {
      hit |= pat[p] == c;
      ++p;
    }
  }
  if (p < pat.size()) ++p;  // ']'
  return hit != negate;
}

// One segment, `*` and `?` only: the greedy backtracking of a single star
// keeps this O(n*m) in the worst case.
bool match_segment(std::string_view pat, std::string_view s) {
  std::size_t p = 0, i = 0, star_p = std::string_view::npos, star_i = 0;
  while (i < s.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star_p = ++p;
      star_i = i;
      continue;
    }
    if (p < pat.size() && pat[p] == '[') {
      std::size_t q = p + 1;
      if (match_class(pat, q, s[i])) {
        p = q;
        ++i;
        continue;
      }
    } else if (p < pat.size() && (pat[p] == '?' || pat[p] == s[i])) {
      ++p;
      ++i;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    i = ++star_i;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

}  // namespace

Glob::Glob(std::string pattern) : m_pattern(std::move(pattern)) {
  for (auto part : split(m_pattern)) m_segments.emplace_back(part);
  m_last_segment_only = m_segments.size() == 2 && m_segments[0] == "**" && m_segments[1] != "**";
}

bool Glob::matches(std::string_view path) const {
  if (m_last_segment_only) {
    auto slash = path.rfind('/');
    return match_segment(m_segments[1], slash == std::string_view::npos ? path : path.substr(slash + 1));
  }
  auto parts = split(path);
  const std::size_t n = m_segments.size(), m = parts.size();
  // can[j]: pattern segments [0, i) match path segments [0, j).
  std::vector<char> can(m + 1, 0), next(m + 1, 0);
  can[0] = 1;
  for (std::size_t i = 0; i < n; ++i) {
    std::fill(next.begin(), next.end(), 0);
    if (m_segments[i] == "**") {
      char any = 0;
      for (std::size_t j = 0; j <= m; ++j) next[j] = any = any || can[j];
    } else {
      for (std::size_t j = 0; j < m; ++j)
        if (can[j] && match_segment(m_segments[i], parts[j])) next[j + 1] = 1;
    }
    can.swap(next);
  }
  return can[m];
}

PathFilter::PathFilter(const std::vector<std::string>& include,
                       const std::vector<std::string>& exclude) {
  for (const auto& g : include) m_include.emplace_back(g);
  for (const auto& g : exclude) m_exclude.emplace_back(g);
}

bool PathFilter::selects(std::string_view path) const {
  bool in = false;
  for (const auto& g : m_include) {
    if (g.matches(path)) {
      in = true;
      break;
    }
  }
  if (!in) return false;
  for (const auto& g : m_exclude)
    if (g.matches(path)) return false;
  return true;
}

}  // namespace pushgate
