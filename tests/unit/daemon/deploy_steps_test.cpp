#include "daemon/deploy_steps.hpp"

#include <atomic>

#include "daemon/log_board.hpp"
#include "daemon/release_id.hpp"
#include "deployers/local_deployer.hpp"
#include "tests/unit/deployers/deploy_fixture.hpp"

using namespace pushgate;
using namespace pushgate::daemon;
using namespace pushgate::test;

namespace {

// One environment deployed with a local deployer into a temporary folder,
// with the notes the daemon would write after each job.
struct Site {
  TestRepo repo;
  TempDir dir;
  std::vector<std::string> commits;
  Environment env = local_environment(dir / "prod", "deploy");
  RecordingRunner runner;
  LocalDeployer deployer{env, dir / "prod", runner};
  LogBoard board;
  JobLog log{dir / "job.log", board};
  std::atomic<bool> stopping{false};
  std::uint64_t next_job = 1;

  explicit Site(int versions) {
    for (int i = 1; i <= versions; ++i)
      commits.push_back(repo.commit(repo.files({{"deploy/app.yaml", "version: " + std::to_string(i) + "\n"}})));
  }

  Job job(JobKind kind, std::string commit) {
    Job j;
    j.id = next_job++;
    j.kind = kind;
    j.repo = "/srv/git/app.git";
    j.env = env.name;
    j.commit = std::move(commit);
    j.pusher = "alice";
    return j;
  }

  JobContext context(const Job& j) { return {repo.get(), &j, &env, &deployer, &log, &stopping}; }

  // Writes the record the daemon writes when a job ends with `result`.
  void record(const Job& j, const JobResult& result) {
    if (result.record_on.empty()) return;
    RecordFields fields = result.fields;
    fields.emplace_back("message", result.message);
    REQUIRE(append_record(repo.get(), result.record_on, make_record(j, result.status, fields)));
  }

  // Runs a deploy job of commits[index] to its end, records included.
  JobResult deploy(std::size_t index) {
    Job j = job(JobKind::push, commits.at(index));
    JobResult result = deploy_commit(context(j), 0);
    record(j, result);
    return result;
  }

  // Runs a rollback job (to `commit`, or "" for the default) to its end.
  JobResult rollback(const std::string& commit = "") {
    Job j = job(JobKind::rollback, commit);
    JobResult result = rollback_job(context(j));
    record(j, result);
    return result;
  }

  std::string live_commit() const {
    auto live = deployer.live();
    return live ? live->commit : "nothing";
  }

  // The kept releases that job `id` made.
  std::vector<std::string> releases_of_job(std::uint64_t id) const {
    std::vector<std::string> out;
    for (const auto& r : deployer.releases())
      if (parse_release_name(r.release)->job == id) out.push_back(r.release);
    return out;
  }
};

}  // namespace

TEST_CASE("rollback_job without a target steps back one successful release at a time") {
  Site site(3);
  for (std::size_t i = 0; i < 3; ++i) REQUIRE(site.deploy(i).status == DeployStatus::succeeded);
  REQUIRE(site.live_commit() == site.commits[2]);

  JobResult first = site.rollback();
  CHECK(first.status == DeployStatus::rolled_back);
  CHECK(site.live_commit() == site.commits[1]);

  // A second rollback goes further back; it does not return to the release
  // the first one took off.
  JobResult second = site.rollback();
  CHECK(second.status == DeployStatus::rolled_back);
  CHECK(site.live_commit() == site.commits[0]);

  JobResult third = site.rollback();
  CHECK(third.status == DeployStatus::failed);
  CHECK_THAT(third.message, Catch::Contains("no successful release older than the live one"));
  CHECK_THAT(third.message, Catch::Contains(site.commits[0].substr(0, 7)));
  CHECK_THAT(third.message, Catch::Contains("--to"));
  CHECK(site.live_commit() == site.commits[0]);
}

TEST_CASE("recovery with on_interrupt: rollback discards the release the stop cut off") {
  Site site(2);
  site.env.retry.on_interrupt = OnInterrupt::rollback;
  REQUIRE(site.deploy(0).status == DeployStatus::succeeded);
  auto good = site.deployer.live();
  REQUIRE(good);

  // The job of commits[1] made its release, then pushgated was killed: no
  // record says how it ended.
  Job cut = site.job(JobKind::push, site.commits[1]);
  Attempt attempt(site.repo, site.env, cut.commit, cut.id, good->commit);
  attempt.request.release_id = make_release_id(std::chrono::system_clock::now(), cut.commit, cut.id, "");
  REQUIRE(site.deployer.deploy(attempt.request).status == DeployStatus::succeeded);
  SECTION("killed after the switch: the cut-off release is live") {}
  SECTION("killed before the switch: the cut-off release is only kept") {
    REQUIRE(ReleaseFolder(site.dir / "prod").switch_to(good->release));
  }
  REQUIRE(site.releases_of_job(cut.id).size() == 1);

  JobResult result = recover_interrupted(site.context(cut));
  CHECK(result.status == DeployStatus::rolled_back);
  REQUIRE(site.deployer.live());
  CHECK(site.deployer.live()->release == good->release);
  // It was never verified: it neither takes a place among keep_releases nor
  // is what a rollback to its commit would switch to.
  CHECK(site.releases_of_job(cut.id).empty());
  CHECK(site.deployer.releases().size() == 1);
  CHECK_THAT(slurp(site.dir / "job.log"), Catch::Contains("removed release " + attempt.request.release_id));
}
