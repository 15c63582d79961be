#include "core/util/http_url.hpp"

#include <catch2/catch.hpp>

using namespace pushgate;

TEST_CASE("parse_http_url reads scheme, host, port and target") {
  auto u = parse_http_url("http://app.internal:8080/healthz?deep=1");
  REQUIRE(u);
  CHECK(u->scheme == HttpScheme::http);
  CHECK(u->host == "app.internal");
  CHECK(u->port == 8080);
  CHECK(u->target == "/healthz?deep=1");

  auto defaults = parse_http_url("HTTPS://example.org");
  REQUIRE(defaults);
  CHECK(defaults->scheme == HttpScheme::https);
  CHECK(defaults->port == 443);
  CHECK(defaults->target == "/");

  auto v6 = parse_http_url("http://[::1]:9000?x");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == 9000);
  CHECK(v6->target == "/?x");
}

TEST_CASE("parse_http_url refuses what it cannot check, saying why") {
  auto why = [](std::string_view text) {
    auto u = parse_http_url(text);
    REQUIRE_FALSE(u);
    return u.error().message;
  };
  CHECK_THAT(why("ftp://host/x"), Catch::Contains("must start with http:// or https://"));
  CHECK_THAT(why("127.0.0.1:8080/healthz"), Catch::Contains("must start with http://"));
  CHECK_THAT(why("http:///healthz"), Catch::Contains("names no host"));
  CHECK_THAT(why("http://h:0/"), Catch::Contains("port '0' must be a number from 1 to 65535"));
  CHECK_THAT(why("http://h:80x/"), Catch::Contains("port '80x'"));
  CHECK_THAT(why("http://h:/"), Catch::Contains("':' must be followed by a port"));
  CHECK_THAT(why("http://admin:pw@h/"), Catch::Contains("credentials"));
  CHECK_THAT(why("http://h/x#top"), Catch::Contains("fragment"));
  CHECK_THAT(why("http://h/a b"), Catch::Contains("whitespace"));
  CHECK_THAT(why("http://[::1/"), Catch::Contains("closing ']'"));
}

TEST_CASE("replace_host puts each host into the URL, an IPv6 address in brackets") {
  CHECK(replace_host("http://{host}:8080/healthz?h={host}", "web-1") == "http://web-1:8080/healthz?h=web-1");
  CHECK(replace_host("http://{host}:8080/", "fd00::7") == "http://[fd00::7]:8080/");
  CHECK(replace_host("http://127.0.0.1/", "web-1") == "http://127.0.0.1/");
  // A host holding the placeholder is not expanded again.
  CHECK(replace_host("http://{host}/", "{host}") == "http://{host}/");
}
