#include "core/util/http_url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/util/placeholder.hpp"

namespace pushgate {

namespace {

Error url_error(std::string_view why) { return Error{ErrorCode::config, std::string(why)}; }

bool lower_equal(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

Expected<HttpUrl> parse_http_url(std::string_view text) {
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; }))
    return url_error("it contains whitespace or a control character");
  HttpUrl url;
  std::size_t colon = text.find("://");
  std::string_view scheme = colon == std::string_view::npos ? "" : text.substr(0, colon);
  if (lower_equal(scheme, "http")) url.scheme = HttpScheme::http;
  else if (lower_equal(scheme, "https")) url.scheme = HttpScheme::https;
  else return url_error("it must start with http:// or https://");
  url.port = url.scheme == HttpScheme::https ? 443 : 80;

  std::string_view rest = text.substr(colon + 3);
  if (rest.find('#') != std::string_view::npos) return url_error("a fragment (#...) is never sent; remove it");
  std::size_t end = std::min(rest.find('/'), rest.find('?'));
  std::string_view authority = rest.substr(0, end);
  url.target = end == std::string_view::npos ? "/" : std::string(rest.substr(end));
  if (url.target.front() == '?') url.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos)
    return url_error("credentials in a URL would be written to logs; the health URL must not need them");

  std::string_view port;
  if (authority.starts_with('[')) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return url_error("an IPv6 address needs its closing ']'");
    url.host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return url_error("only ':port' may follow ']'");
    port = after.empty() ? after : after.substr(1);
    if (!after.empty() && port.empty()) return url_error("':' must be followed by a port");
  } else {
    std::size_t at = authority.find(':');
    url.host = authority.substr(0, at);
    if (at != std::string_view::npos) {
      port = authority.substr(at + 1);
      if (port.empty()) return url_error("':' must be followed by a port");
    }
  }
  if (url.host.empty()) return url_error("it names no host");
  if (!port.empty()) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value < 1 || value > 65535)
      return url_error(fmt::format("port '{}' must be a number from 1 to 65535", port));
    url.port = value;
  }
  return url;
}

std::string replace_host(std::string_view url, std::string_view host) {
  std::string value = host.find(':') != std::string_view::npos && !host.starts_with('[')
                          ? fmt::format("[{}]", host)
                          : std::string(host);
  return replace_placeholder(std::string(url), k_host_placeholder, value);
}

}  // namespace pushgate
