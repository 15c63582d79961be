#pragma once
// Release names: `<YYYYmmddTHHMMSSZ>-<commit first 12 hex>-j<job>[-r<run>][-a<attempt>]`.
// They sort by time, name the commit, and never repeat: a retried attempt
// (-a2, -a3, ...) and a re-run after a crash (-r1, -r2, ...) get their own.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace pushgate::daemon {

// `suffix` comes from release_suffix.
std::string make_release_id(std::chrono::system_clock::time_point when, std::string_view commit,
                            std::uint64_t job, std::string_view suffix);

// The suffix of attempt `attempt` (1-based) of run `rerun` (0 for the first
// run, n for the n-th re-run after a crash).
std::string release_suffix(int attempt, std::size_t rerun);

}  // namespace pushgate::daemon
