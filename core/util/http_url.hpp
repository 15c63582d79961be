#pragma once
// The http(s) URLs of health checks: parsed by the config (so a mistake is
// reported at its line) and again by the check itself, once `{host}` is
// replaced.

#include <string>
#include <string_view>

#include "core/util/error.hpp"

namespace pushgate {

enum class HttpScheme { http, https };

struct HttpUrl {
  HttpScheme scheme = HttpScheme::http;
  std::string host;    // a name or an address; an IPv6 address without its brackets
  int port = 80;       // the scheme's default when the URL names none
  std::string target;  // path and query, "/" when the URL has none
};

// Parses `text` as `http[s]://host[:port][/path][?query]`. An Error
// (ErrorCode::config) says what is wrong, without quoting `text` (callers
// name it with their context): another scheme, no host, a port
// outside 1..65535, credentials (`user@`: they would be written to logs),
// a fragment, whitespace or control characters.
Expected<HttpUrl> parse_http_url(std::string_view text);

// `url` with each `{host}` replaced by `host`, an IPv6 address in brackets.
std::string replace_host(std::string_view url, std::string_view host);

}  // namespace pushgate
