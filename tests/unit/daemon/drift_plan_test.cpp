#include "daemon/drift_plan.hpp"

#include <catch2/catch.hpp>

using namespace pushgate::daemon;
using namespace std::chrono_literals;

TEST_CASE("DriftPlan hands out each environment once per interval, never twice at once", "[drift]") {
  DriftPlan plan;
  DriftPlan::Clock::time_point t0{};
  CHECK_FALSE(plan.next_due());
  plan.set_targets({{"/git/a.git", "prod", 60s}, {"/git/a.git", "stage", 5s}}, t0);
  REQUIRE(plan.next_due());
  CHECK(*plan.next_due() == t0 + 5s);
  CHECK(plan.take_due(t0 + 4s).empty());

  auto due = plan.take_due(t0 + 5s);
  REQUIRE(due.size() == 1);
  CHECK(due[0].env == "stage");
  // Being checked: not due again however late it gets, so the timer waits for prod.
  CHECK(plan.take_due(t0 + 30s).empty());
  CHECK(*plan.next_due() == t0 + 60s);

  plan.done("/git/a.git", "stage", t0 + 31s);
  CHECK(*plan.next_due() == t0 + 36s);
  CHECK(plan.take_due(t0 + 61s).size() == 2);
  CHECK_FALSE(plan.next_due());
}

TEST_CASE("DriftPlan keeps due times across a rescan and forgets removed environments", "[drift]") {
  DriftPlan plan;
  DriftPlan::Clock::time_point t0{};
  plan.set_targets({{"/git/a.git", "prod", 10s}}, t0);
  plan.set_targets({{"/git/a.git", "prod", 10s}, {"/git/b.git", "prod", 20s}}, t0 + 8s);
  CHECK(*plan.next_due() == t0 + 10s);
  // A changed interval counts from the rescan.
  plan.set_targets({{"/git/a.git", "prod", 30s}}, t0 + 9s);
  CHECK(*plan.next_due() == t0 + 39s);
  plan.set_targets({}, t0 + 9s);
  CHECK_FALSE(plan.next_due());
}
