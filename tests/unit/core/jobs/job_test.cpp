#include <catch2/catch.hpp>

#include <regex>

#include "core/jobs/job.hpp"

using namespace pushgate;

TEST_CASE("job_to_json and job_from_json round-trip every field") {
  Job job;
  job.id = 17;
  job.kind = GENERATE(JobKind::push, JobKind::deploy, JobKind::rollback);
  job.repo = "/srv/git/odd \"name\".git";
  job.env = "production";
  job.ref = "refs/heads/main";
  job.commit = std::string(40, 'a');
  job.pusher = "Zoë O'Brien\nsecond line";
  job.enqueued_at = "2026-11-26T07:30:00Z";
  std::string text = job_to_json(job);
  CHECK(text.find('\n') == std::string::npos);
  auto back = job_from_json(text, "new/17.json");
  REQUIRE(back);
  CHECK(back->id == 17);
  CHECK(back->kind == job.kind);
  CHECK(back->repo == job.repo);
  CHECK(back->env == job.env);
  CHECK(back->ref == job.ref);
  CHECK(back->commit == job.commit);
  CHECK(back->pusher == job.pusher);
  CHECK(back->enqueued_at == job.enqueued_at);
}

TEST_CASE("job_from_json rejects what is not a job and names the file") {
  auto rejected = [](std::string_view text) {
    auto job = job_from_json(text, "/spool/new/9.json");
    REQUIRE_FALSE(job);
    CHECK(job.error().code == ErrorCode::input);
    CHECK_THAT(job.error().message, Catch::StartsWith("/spool/new/9.json: "));
    return job.error().message;
  };
  CHECK_THAT(rejected("{\"id\": 9, \"kind\": \"pu"), Catch::Contains("invalid JSON"));
  CHECK_THAT(rejected(""), Catch::Contains("invalid JSON"));
  CHECK_THAT(rejected("[1, 2]"), Catch::Contains("object"));
  CHECK_THAT(rejected(R"({"kind":"push","repo":"/r","env":"e"})"), Catch::Contains("'id'"));
  CHECK_THAT(rejected(R"({"id":-3,"kind":"push","repo":"/r","env":"e"})"), Catch::Contains("'id'"));
  CHECK_THAT(rejected(R"({"id":3,"kind":"explode","repo":"/r","env":"e"})"),
             Catch::Contains("unknown kind 'explode'"));
  // Drift checks are the daemon's own: a job file cannot ask for one.
  CHECK_THAT(rejected(R"({"id":3,"kind":"drift","repo":"/r","env":"e"})"), Catch::Contains("unknown kind 'drift'"));
  CHECK_THAT(rejected(R"({"id":3,"kind":"push","repo":["/r"],"env":"e"})"), Catch::Contains("'repo'"));
  CHECK_THAT(rejected(R"({"id":3,"kind":"push","env":"e"})"), Catch::Contains("required"));
}

TEST_CASE("job_from_json treats absent optional fields as empty") {
  auto job = job_from_json(R"({"id":3,"kind":"rollback","repo":"/r.git","env":"prod"})", "x");
  REQUIRE(job);
  CHECK(job->kind == JobKind::rollback);
  CHECK(job->commit.empty());
  CHECK(job->pusher.empty());
}

TEST_CASE("utc_now is RFC 3339 UTC with seconds") {
  CHECK(std::regex_match(utc_now(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
}

TEST_CASE("describe_job says what a job asks for in words") {
  Job job;
  job.env = "production";
  job.commit = "e6fd235a1b2c3d4e5f60718293a4b5c6d7e8f901";
  SECTION("a pushed or manual deploy names the commit and where it goes") {
    job.kind = GENERATE(JobKind::push, JobKind::deploy);
    CHECK(describe_job(job) == "deploy of e6fd235 to production");
  }
  SECTION("a rollback with --to names the environment, then the commit") {
    job.kind = JobKind::rollback;
    CHECK(describe_job(job) == "rollback of production to e6fd235");
  }
  SECTION("a rollback without --to goes to the previous successful release") {
    job.kind = JobKind::rollback;
    job.commit.clear();
    CHECK(describe_job(job) == "rollback of production to the previous successful release");
  }
}
