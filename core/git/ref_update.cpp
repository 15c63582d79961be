#include "core/git/ref_update.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace pushgate {

namespace {

bool is_hex_oid(std::string_view s) {
  return (s.size() == 40 || s.size() == 64) &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

bool is_zero_oid(std::string_view hex) {
  return is_hex_oid(hex) && hex.find_first_not_of('0') == std::string_view::npos;
}

RefChange RefUpdate::change() const {
  if (is_zero_oid(old_oid)) return RefChange::create;
  if (is_zero_oid(new_oid)) return RefChange::remove;
  return RefChange::update;
}

bool RefUpdate::is_branch() const { return ref.starts_with("refs/heads/"); }
bool RefUpdate::is_tag() const { return ref.starts_with("refs/tags/"); }
std::string RefUpdate::branch() const {
  return is_branch() ? ref.substr(std::string_view("refs/heads/").size()) : std::string();
}

Expected<std::vector<RefUpdate>> parse_ref_updates(std::string_view input) {
  std::vector<RefUpdate> updates;
  int number = 0;
  while (!input.empty()) {
    auto end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto bad = [&](std::string_view why) {
      return Error{ErrorCode::input,
                   fmt::format("hook input line {}: {}: '{}'", number, why, line)};
    };
    auto s1 = line.find(' ');
    auto s2 = s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
    if (s2 == std::string_view::npos) return bad("expected '<old> <new> <ref>'");
    RefUpdate u{std::string(line.substr(0, s1)), std::string(line.substr(s1 + 1, s2 - s1 - 1)),
                std::string(line.substr(s2 + 1))};
    if (!is_hex_oid(u.old_oid) || !is_hex_oid(u.new_oid) || u.old_oid.size() != u.new_oid.size())
      return bad("expected two object ids of the same hash length");
    if (!u.ref.starts_with("refs/") && u.ref != "HEAD") return bad("expected a full ref name");
    if (is_zero_oid(u.old_oid) && is_zero_oid(u.new_oid)) return bad("both object ids are zero");
    updates.push_back(std::move(u));
  }
  return updates;
}

}  // namespace pushgate
