#pragma once
// `health: {http: URL, expect: STATUS}`: one GET of a health URL, for every
// deployer (step_runner.hpp retries it; the ssh deployer calls it per host).

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pushgate {

// How much of an answer's body is read, for the message; the rest is not.
inline constexpr std::size_t k_health_body_limit = 1024;

// GETs `url` (http or https, `{host}` already replaced), bounded by
// `timeout` from connecting to the last byte read. Redirects are not
// followed: a 3xx answer is its own status. nullopt when the answer's status
// is `expect`; else why not, one line naming the URL: "GET URL: status 503,
// expected 200 (body: ...)", "GET URL: cannot connect to HOST:PORT",
// "GET URL: no answer within 2s", a URL that cannot be parsed, a TLS error.
std::optional<std::string> probe_http(std::string_view url, int expect, std::chrono::milliseconds timeout);

}  // namespace pushgate
