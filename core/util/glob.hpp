#pragma once
// Path globs as administrators write them in pushgate.yaml: `*` and `?` stay
// within one path segment, `**` spans any number of segments (zero included),
// `[abc]`/`[a-z]`/`[!a]` match one character. Matching is linear in the
// pattern and path size, so hostile paths from a push cannot make it slow.

#include <string>
#include <string_view>
#include <vector>

namespace pushgate {

class Glob {
 public:
  explicit Glob(std::string pattern);
  bool matches(std::string_view path) const;
  const std::string& pattern() const { return m_pattern; }

 private:
  std::string m_pattern;
  std::vector<std::string> m_segments;
  // `**/x` only looks at the last segment: the common `**/*.yaml` then costs
  // one segment match per path, which matters for every file of a pushed tree.
  bool m_last_segment_only = false;
};

// A set of include and exclude globs: a path is selected when it matches an
// include and no exclude.
class PathFilter {
 public:
  PathFilter(const std::vector<std::string>& include, const std::vector<std::string>& exclude);
  bool selects(std::string_view path) const;

 private:
  std::vector<Glob> m_include;
  std::vector<Glob> m_exclude;
};

}  // namespace pushgate
