#include "deployers/http_health.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <memory>

#include "core/util/http_url.hpp"
#include "core/util/terminal_text.hpp"
#include "core/util/watchdog.hpp"

namespace pushgate {

namespace {

std::unique_ptr<httplib::ClientImpl> make_client(const HttpUrl& url) {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (url.scheme == HttpScheme::https) return std::make_unique<httplib::SSLClient>(url.host, url.port);
#endif
  return std::make_unique<httplib::ClientImpl>(url.host, url.port);
}

std::string seconds(std::chrono::milliseconds d) {
  return d.count() % 1000 == 0 ? fmt::format("{}s", d.count() / 1000) : fmt::format("{}ms", d.count());
}

std::string describe(httplib::Error error, const HttpUrl& url, std::chrono::milliseconds timeout) {
  switch (error) {
    case httplib::Error::Connection:
      return fmt::format("cannot connect to {}:{} (refused or unreachable)", url.host, url.port);
    case httplib::Error::ConnectionTimeout:
      return fmt::format("no connection to {}:{} within {}", url.host, url.port, seconds(timeout));
    case httplib::Error::SSLConnection: return "the TLS handshake failed";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate is not trusted by this server's CA certificates";
    case httplib::Error::SSLLoadingCerts: return "cannot load this server's CA certificates";
    default: return fmt::format("no complete answer ({})", httplib::to_string(error));
  }
}

// The body's first line, for a message: bounded and with control characters escaped.
std::string excerpt(const std::string& body) {
  std::string line = body.substr(0, std::min(body.find('\n'), std::size_t{200}));
  return escape_control(line);
}

}  // namespace

std::optional<std::string> probe_http(std::string_view text, int expect, std::chrono::milliseconds timeout) {
  auto url = parse_http_url(text);
  if (!url) return fmt::format("GET {}: not a usable URL: {}", text, url.error().message);
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
  if (url->scheme == HttpScheme::https)
    return fmt::format("GET {}: this pushgate's cpp-httplib has no TLS support", text);
#endif
  std::unique_ptr<httplib::ClientImpl> client = make_client(*url);
  client->set_follow_location(false);
  client->set_decompress(false);
  client->set_connection_timeout(timeout);
  client->set_read_timeout(timeout);
  client->set_write_timeout(timeout);

  int status = 0;
  std::string body;
  auto start = std::chrono::steady_clock::now();
  httplib::Result result = [&] {
    // The read timeout bounds each read, not the answer: a server that sends
    // a byte at a time would hold the deploy. stop() from another thread
    // shuts the socket down, which ends the request.
    Watchdog watchdog(timeout, [&] { client->stop(); });
    return client->Get(
        url->target,
        [&](const httplib::Response& response) {
          status = response.status;
          return true;
        },
        [&](const char* data, std::size_t size) {
          body.append(data, std::min(size, k_health_body_limit - body.size()));
          return body.size() < k_health_body_limit;
        });
  }();
  // The handler sees the status before the body is read (a read the body
  // limit cancels has no response); a 204 has no body and skips it.
  if (result) status = result->status;
  if (status == 0) {
    bool late = std::chrono::steady_clock::now() - start >= timeout;
    if (late && result.error() != httplib::Error::ConnectionTimeout)
      return fmt::format("GET {}: no answer within {}", text, seconds(timeout));
    return fmt::format("GET {}: {}", text, describe(result.error(), *url, timeout));
  }
  if (status == expect) return std::nullopt;
  std::string why = fmt::format("GET {}: status {}, expected {}", text, status, expect);
  if (status >= 300 && status < 400) why += " (redirects are not followed)";
  if (!body.empty()) why += fmt::format(" (body: {})", excerpt(body));
  return why;
}

}  // namespace pushgate
