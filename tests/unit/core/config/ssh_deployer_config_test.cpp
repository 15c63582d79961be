#include "core/config/ssh_deployer_config.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/support/repo_config_errors.hpp"

using namespace pushgate;
using pushgate::test::rejected;
using namespace std::chrono_literals;

TEST_CASE("ssh deployer: reads hosts as strings or mappings and every fleet setting") {
  auto c = parse_repo_config(R"yaml(environments:
  production:
    branch: main
    deployer:
      type: ssh
      hosts:
        - web1.example.com
        - deploy@10.0.0.2:2222
        - "[::1]:2200"
        - {host: web4, port: 2201, user: app, dir: /opt/app/}
      user: deploy
      dir: /srv/app/
      identity: /etc/pushgate/ssh/id_ed25519
      known_hosts: /etc/pushgate/ssh/known_hosts
      parallel: 4
      batch: 25%
      max_unavailable: 1
      connect_timeout: 3s
      keep_releases: 3
      before: [["/usr/local/bin/check", "{release}"]]
      timeout: 1m
)yaml",
                             "pushgate.yaml");
  REQUIRE(c);
  const DeployerSettings& d = c->environments.at(0).deployer;
  CHECK(d.type == DeployerType::ssh);
  CHECK(d.dir == "/srv/app");
  CHECK(d.keep_releases == 3);
  CHECK(d.timeout == 1min);
  CHECK(d.before.size() == 1);
  const SshDeployerSettings& s = d.ssh;
  REQUIRE(s.hosts.size() == 4);
  CHECK((s.hosts[0].host == "web1.example.com" && s.hosts[0].port == 0 && s.hosts[0].user.empty()));
  CHECK((s.hosts[1].host == "10.0.0.2" && s.hosts[1].port == 2222 && s.hosts[1].user == "deploy"));
  CHECK((s.hosts[2].host == "::1" && s.hosts[2].port == 2200));
  CHECK((s.hosts[3].host == "web4" && s.hosts[3].port == 2201 && s.hosts[3].user == "app" &&
         s.hosts[3].dir == "/opt/app"));
  CHECK(s.user == "deploy");
  CHECK(s.identity == "/etc/pushgate/ssh/id_ed25519");
  CHECK(s.known_hosts == "/etc/pushgate/ssh/known_hosts");
  CHECK(s.parallel == 4);
  CHECK((s.batch.percent && s.batch.value == 25));
  CHECK(s.batch.of(10, true) == 3);  // rounded up
  CHECK((!s.max_unavailable.percent && s.max_unavailable.value == 1));
  CHECK(s.connect_timeout == 3s);
}

TEST_CASE("ssh deployer: defaults roll over all hosts at once with none allowed down") {
  auto c = parse_repo_config(R"yaml(environments:
  p:
    branch: main
    deployer: {type: ssh, hosts: [web1], dir: /srv/app, identity: /k, known_hosts: /kh}
)yaml",
                             "pushgate.yaml");
  REQUIRE(c);
  const SshDeployerSettings& s = c->environments.at(0).deployer.ssh;
  CHECK(s.batch.of(10, true) == 10);
  CHECK(s.max_unavailable.of(10, false) == 0);
  CHECK(s.parallel == 1);
  CHECK(s.connect_timeout == 10s);
}

TEST_CASE("ssh deployer: every mistake is reported at its line and column") {
  auto m = rejected(R"yaml(environments:
  p:
    branch: main
    deployer:
      type: ssh
      hosts: ["web1", "bad host", "web1", "u@h:99999", {port: 22}]
      dir: relative
      identity: id_rsa
      parallel: 0
      batch: 0%
      max_unavailable: lots
      colour: blue
)yaml");
  CHECK_THAT(m, Catch::Contains("pushgate.yaml:6:23: error: [config] environments.p.deployer.hosts[1]: 'bad host' "
                                "is not a host name"));
  CHECK_THAT(m, Catch::Contains("6:35: error: [config] environments.p.deployer.hosts[2]: host 'web1' is listed twice"));
  CHECK_THAT(m, Catch::Contains("6:43: error: [config] environments.p.deployer.hosts[3] 'u@h:99999'"));
  CHECK_THAT(m, Catch::Contains("6:56: error: [config] environments.p.deployer.hosts[4] needs host:"));
  CHECK_THAT(m, Catch::Contains("7:12: error: [config] environments.p.deployer.dir must be an absolute folder"));
  CHECK_THAT(m, Catch::Contains("8:17: error: [config] environments.p.deployer.identity must be an absolute path"));
  CHECK_THAT(m, Catch::Contains("environments.p.deployer needs known_hosts:"));
  CHECK_THAT(m, Catch::Contains("9:17: error: [config] environments.p.deployer.parallel must be a whole number"));
  CHECK_THAT(m, Catch::Contains("10:14: error: [config] environments.p.deployer.batch must be a number of hosts or "
                                "a percentage from 1% to 100%"));
  CHECK_THAT(m, Catch::Contains("11:24: error: [config] environments.p.deployer.max_unavailable must be"));
  CHECK_THAT(m, Catch::Contains("colour"));
}

TEST_CASE("ssh deployer: hosts are required") {
  CHECK_THAT(rejected("environments:\n  p: {branch: main, deployer: {type: ssh, dir: /a, identity: /k, "
                      "known_hosts: /kh}}\n"),
             Catch::Contains("environments.p.deployer needs hosts:"));
  CHECK_THAT(rejected("environments:\n  p: {branch: main, deployer: {type: ssh, hosts: [], dir: /a, identity: /k, "
                      "known_hosts: /kh}}\n"),
             Catch::Contains("environments.p.deployer needs hosts:"));
}
