#include <catch2/catch.hpp>

#include <unistd.h>

#include "core/util/trusted_file.hpp"
#include "daemon/job_admission.hpp"

using namespace pushgate;
using namespace pushgate::daemon;

TEST_CASE("derived_pusher believes a job file's pusher only from root, the repository's owner or pushgated") {
  Job job;
  job.pusher = "alice";
  constexpr uid_t repo_owner = 54321, stranger = 54322;
  job.owner = repo_owner;
  CHECK(derived_pusher(job, repo_owner) == "alice");
  job.owner = 0;
  CHECK(derived_pusher(job, repo_owner) == "alice");
  job.owner = ::geteuid();
  CHECK(derived_pusher(job, repo_owner) == "alice");
  if (::geteuid() != stranger) {
    job.owner = stranger;
    CHECK(derived_pusher(job, repo_owner) == account_name(stranger));
  }
  job.owner = static_cast<uid_t>(-1);
  CHECK(derived_pusher(job, repo_owner) == "unknown");
}

TEST_CASE("admit_job refuses a repository pushgated.yaml does not name, before opening it") {
  DaemonConfig daemon;
  daemon.repositories = {"/srv/git/*.git"};
  Job job;
  job.repo = "/nonexistent/evil.git";
  job.env = "production";
  auto admitted = admit_job(job, daemon);
  REQUIRE_FALSE(admitted);
  CHECK_THAT(admitted.error().message,
             Catch::Contains("/nonexistent/evil.git") && Catch::Contains("add it to repositories: in pushgated.yaml"));
}
