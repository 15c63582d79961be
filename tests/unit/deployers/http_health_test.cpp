#include "deployers/http_health.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "core/util/unique_fd.hpp"
#include "tests/unit/support/loopback_http.hpp"

using namespace pushgate;
using pushgate::test::LoopbackServer;
using namespace std::chrono_literals;

namespace {

// A listening loopback socket; `port()` tells where.
UniqueFd listening_socket(int& port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
  REQUIRE(fd.get() >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd.get(), 4) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

TEST_CASE("probe_http passes when the status is the expected one, and fails otherwise") {
  LoopbackServer s([](httplib::Server& server) {
    server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    server.Get("/created", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
    server.Get("/sick", [](const httplib::Request&, httplib::Response& res) {
      res.status = 500;
      res.set_content("database down\x1b[31m\nstack trace...", "text/plain");
    });
    server.Get("/moved", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/healthz"); });
    server.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
      res.set_content(std::string(64 << 20, 'x'), "text/plain");
    });
  });
  CHECK_FALSE(probe_http(s.url("/healthz"), 200, 2s));
  CHECK_FALSE(probe_http(s.url("/created"), 204, 2s));

  SECTION("another status fails, naming both and the start of the body, escaped") {
    CHECK(probe_http(s.url("/sick"), 200, 2s) ==
          "GET " + s.url("/sick") + ": status 500, expected 200 (body: database down\\x1b[31m)");
    CHECK(probe_http(s.url("/healthz"), 204, 2s) ==
          "GET " + s.url("/healthz") + ": status 200, expected 204 (body: ok)");
  }
  SECTION("a redirect is not followed") {
    auto why = probe_http(s.url("/moved"), 200, 2s);
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("status 302, expected 200 (redirects are not followed)"));
  }
  SECTION("a huge body is not read beyond the limit") {
    auto start = std::chrono::steady_clock::now();
    auto why = probe_http(s.url("/big"), 200, 5s);
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("status 503, expected 200 (body: xxx"));
    CHECK(why->size() < 400);
    CHECK(std::chrono::steady_clock::now() - start < 2s);
  }
}

TEST_CASE("probe_http fails, saying why, when nothing answers in time") {
  SECTION("connection refused") {
    int port = 0;
    { UniqueFd closed = listening_socket(port); }
    std::string url = "http://127.0.0.1:" + std::to_string(port) + "/healthz";
    CHECK(probe_http(url, 200, 2s) ==
          "GET " + url + ": cannot connect to 127.0.0.1:" + std::to_string(port) + " (refused or unreachable)");
  }
  SECTION("a server that accepts and never answers") {
    int port = 0;
    UniqueFd hung = listening_socket(port);  // the kernel accepts; nobody reads or writes
    std::string url = "http://127.0.0.1:" + std::to_string(port) + "/healthz";
    auto start = std::chrono::steady_clock::now();
    CHECK(probe_http(url, 200, 300ms) == "GET " + url + ": no answer within 300ms");
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(took >= 300ms);
    CHECK(took < 2s);
  }
  SECTION("a server that answers a byte at a time is cut off at the timeout, not at each read's") {
    int port = 0;
    UniqueFd listener = listening_socket(port);
    std::atomic<bool> done = false;
    std::thread drip([&] {
      UniqueFd conn(::accept(listener.get(), nullptr, nullptr));
      std::string_view head = "HTTP/1.1 200 OK\r\nX-Slow: ";
      (void)!::send(conn.get(), head.data(), head.size(), MSG_NOSIGNAL);
      while (!done && ::send(conn.get(), "x", 1, MSG_NOSIGNAL) == 1) std::this_thread::sleep_for(50ms);
    });
    std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
    auto start = std::chrono::steady_clock::now();
    CHECK(probe_http(url, 200, 400ms) == "GET " + url + ": no answer within 400ms");
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    done = true;
    drip.join();
  }
  SECTION("a URL that cannot be used") {
    CHECK(probe_http("http://h:99999/", 200, 1s) ==
          "GET http://h:99999/: not a usable URL: port '99999' must be a number from 1 to 65535");
  }
}
