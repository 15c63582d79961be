#pragma once
// A real HTTP server on loopback for health check tests.

#include <httplib.h>

#include <csignal>

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace pushgate::test {

// A real httplib server on a free loopback port, stopped when it goes.
class LoopbackServer {
 public:
  // `routes` registers the handlers, before the server starts listening.
  explicit LoopbackServer(const std::function<void(httplib::Server&)>& routes) {
    // A client that goes away mid-answer must not end the test binary (the
    // daemon ignores SIGPIPE the same way).
    ::signal(SIGPIPE, SIG_IGN);
    routes(m_server);
    m_port = m_server.bind_to_any_port("127.0.0.1");
    REQUIRE(m_port > 0);
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    while (!m_server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() {
    m_server.stop();
    m_thread.join();
  }
  int port() const { return m_port; }
  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
  }

 private:
  httplib::Server m_server;
  int m_port = 0;
  std::thread m_thread;
};

}  // namespace pushgate::test
