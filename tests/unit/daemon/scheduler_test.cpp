#include <catch2/catch.hpp>

#include "daemon/scheduler.hpp"

using namespace pushgate;
using pushgate::daemon::Dispatch;
using pushgate::daemon::Scheduler;

namespace {

Job job(std::uint64_t id, std::string env, JobKind kind = JobKind::push, std::string repo = "/srv/git/app.git") {
  Job j;
  j.id = id;
  j.kind = kind;
  j.repo = std::move(repo);
  j.env = std::move(env);
  j.commit = std::string(40, static_cast<char>('a' + id % 6));
  return j;
}

std::vector<std::uint64_t> ids(const std::vector<Job>& jobs) {
  std::vector<std::uint64_t> out;
  for (const auto& j : jobs) out.push_back(j.id);
  return out;
}

}  // namespace

TEST_CASE("Scheduler runs one job at a time per environment") {
  Scheduler s(4);
  s.add_waiting(job(1, "production", JobKind::deploy));
  s.add_waiting(job(2, "production", JobKind::deploy));
  auto first = s.next();
  REQUIRE(first);
  CHECK(first->job.id == 1);
  CHECK_FALSE(s.next());  // production is busy
  s.finished(first->job);
  auto second = s.next();
  REQUIRE(second);
  CHECK(second->job.id == 2);
}

TEST_CASE("Scheduler deploys only the newest of several waiting pushes") {
  Scheduler s(1);
  for (std::uint64_t id : {3, 4, 5}) s.add_waiting(job(id, "production"));
  auto d = s.next();
  REQUIRE(d);
  CHECK(d->job.id == 5);
  CHECK(ids(d->superseded) == std::vector<std::uint64_t>{3, 4});
  CHECK(s.waiting() == 0);

  SECTION("pushes arriving while it runs are coalesced next time") {
    s.add_waiting(job(6, "production"));
    s.add_waiting(job(7, "production"));
    CHECK_FALSE(s.next());
    s.finished(d->job);
    auto next = s.next();
    REQUIRE(next);
    CHECK(next->job.id == 7);
    CHECK(ids(next->superseded) == std::vector<std::uint64_t>{6});
  }
}

TEST_CASE("Scheduler keeps manual deploys and rollbacks in order, uncoalesced") {
  Scheduler s(1);
  s.add_waiting(job(1, "production"));
  s.add_waiting(job(2, "production"));
  s.add_waiting(job(3, "production", JobKind::rollback));
  s.add_waiting(job(4, "production"));
  s.add_waiting(job(5, "production", JobKind::deploy));
  s.add_waiting(job(6, "production", JobKind::deploy));

  std::vector<std::pair<std::uint64_t, std::vector<std::uint64_t>>> order;
  while (auto d = s.next()) {
    order.emplace_back(d->job.id, ids(d->superseded));
    s.finished(d->job);
  }
  using Step = std::pair<std::uint64_t, std::vector<std::uint64_t>>;
  CHECK(order == std::vector<Step>{{2, {1}}, {3, {}}, {4, {}}, {5, {}}, {6, {}}});
}

TEST_CASE("Scheduler runs different environments in parallel up to the worker count") {
  Scheduler s(2);
  s.add_waiting(job(1, "production"));
  s.add_waiting(job(2, "staging"));
  s.add_waiting(job(3, "preview"));
  s.add_waiting(job(4, "production", JobKind::push, "/srv/git/other.git"));
  auto a = s.next();
  auto b = s.next();
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->job.id == 1);  // the longest waiting first
  CHECK(b->job.id == 2);
  CHECK_FALSE(s.next());
  CHECK(s.running() == 2);

  SECTION("a freed worker takes the next environment") {
    s.finished(a->job);
    auto c = s.next();
    REQUIRE(c);
    CHECK(c->job.id == 3);
  }
  SECTION("more workers after a reload are used at once") {
    s.set_workers(4);
    auto c = s.next();
    auto d = s.next();
    REQUIRE(c);
    REQUIRE(d);
    CHECK(d->job.repo == "/srv/git/other.git");  // same environment name, another repository
  }
}

TEST_CASE("Scheduler runs a job cut off by a crash before anything else of its environment") {
  Scheduler s(1);
  s.add_waiting(job(2, "production"));
  s.add_waiting(job(3, "production"));
  s.add_recovered(job(7, "production"));
  auto d = s.next();
  REQUIRE(d);
  CHECK(d->job.id == 7);
  CHECK(d->recovered);
  CHECK(d->superseded.empty());  // recovered work is never coalesced
  s.finished(d->job);
  auto rest = s.next();
  REQUIRE(rest);
  CHECK(rest->job.id == 3);
  CHECK_FALSE(rest->recovered);
}

TEST_CASE("Scheduler ignores jobs it already has, so the daemon can rescan the spool") {
  Scheduler s(1);
  s.add_waiting(job(1, "production"));
  s.add_waiting(job(2, "production"));
  s.add_waiting(job(2, "production"));
  CHECK(s.waiting() == 2);
  auto d = s.next();
  REQUIRE(d);
  // Until the worker finishes, superseded job 1 is still in SPOOL/new.
  s.add_waiting(job(1, "production"));
  CHECK(s.knows(1));
  CHECK(s.waiting() == 0);
  s.finished(d->job);
  CHECK_FALSE(s.knows(1));
  CHECK_FALSE(s.knows(2));
}
