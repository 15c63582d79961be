#include <catch2/catch.hpp>

#include "core/jobs/control_protocol.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using pushgate::test::TempDir;

TEST_CASE("Control requests survive a round trip") {
  ControlRequest deploy;
  deploy.op = ControlOp::deploy;
  deploy.repo = "/srv/git/app.git";
  deploy.env = "production";
  deploy.commit = std::string(40, 'a');
  auto parsed = parse_control_request(format_control_request(deploy));
  REQUIRE(parsed);
  CHECK(parsed->op == ControlOp::deploy);
  CHECK(parsed->repo == deploy.repo);
  CHECK(parsed->env == "production");
  CHECK(parsed->commit == deploy.commit);

  ControlRequest follow;
  follow.op = ControlOp::follow;
  follow.job = 17;
  follow.spool_id = "0123abcd";
  auto f = parse_control_request(format_control_request(follow));
  REQUIRE(f);
  CHECK(f->op == ControlOp::follow);
  CHECK(f->job == 17);
  CHECK(f->spool_id == "0123abcd");

  SECTION("a rollback needs no target; status needs no environment") {
    auto r = parse_control_request(R"({"op":"rollback","repo":"/r.git","env":"prod"})");
    REQUIRE(r);
    CHECK(r->to.empty());
    auto s = parse_control_request(R"({"op":"status","repo":"/r.git"})");
    REQUIRE(s);
    CHECK(s->env.empty());
  }
}

TEST_CASE("Bad control requests are refused with the reason") {
  auto message = [](std::string_view line) {
    auto r = parse_control_request(line);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::input);
    return r.error().message;
  };
  CHECK_THAT(message("status please"), Catch::Contains("one JSON object"));
  CHECK_THAT(message(R"(["ping"])"), Catch::Contains("one JSON object"));
  CHECK_THAT(message(R"({"op":"reboot"})"), Catch::Contains("unknown op 'reboot'"));
  CHECK_THAT(message(R"({"op":"deploy","env":"prod","commit":"abc"})"), Catch::Contains("'repo' is required"));
  CHECK_THAT(message(R"({"op":"deploy","repo":"/r.git","env":"prod"})"), Catch::Contains("'commit' is required"));
  CHECK_THAT(message(R"({"op":"status","repo":7})"), Catch::Contains("'repo' must be a string"));
  CHECK_THAT(message(R"({"op":"follow","spool":"ab","job":0})"), Catch::Contains("'job' must be a positive"));
  CHECK_THAT(message(R"({"op":"follow","spool":"ab","job":"17"})"), Catch::Contains("'job' must be a positive"));
  // Job numbers of two spools collide: a follow names the spool.
  CHECK_THAT(message(R"({"op":"follow","job":17})"), Catch::Contains("'spool' is required"));
}

TEST_CASE("A pusher field in a control request is not part of the protocol") {
  auto r = parse_control_request(R"({"op":"deploy","repo":"/r.git","env":"prod","commit":"abc","pusher":"x"})");
  REQUIRE(r);
  CHECK(format_control_request(*r).find("pusher") == std::string::npos);
}

TEST_CASE("Control replies say what the daemon answered") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  auto pong = parse_control_reply(reply_pong(spool));
  REQUIRE(pong);
  CHECK(pong->ok);
  CHECK(pong->version == k_pushgate_version);
  CHECK(pong->spool == spool.dir().string());
  CHECK(pong->spool_id == spool.id());
  CHECK(parse_control_reply(reply_keepalive())->keepalive);

  auto job = parse_control_reply(reply_job(42));
  REQUIRE(job);
  CHECK(job->job == 42);

  auto error = parse_control_reply(reply_error("no such environment"));
  REQUIRE(error);
  CHECK_FALSE(error->ok);
  CHECK(error->error == "no such environment");

  auto status = parse_control_reply(reply_status(R"({"repo":"/r.git","environments":[]})"));
  REQUIRE(status);
  CHECK_THAT(status->status_json, Catch::Contains(R"("repo":"/r.git")"));

  auto done = parse_control_reply(reply_done({"rolled-back", "20261126T073000Z-1a2b3c4d5e6f-j17", "health failed", ""}));
  REQUIRE(done);
  REQUIRE(done->done);
  CHECK(done->done->status == "rolled-back");
  CHECK(done->done->message == "health failed");
  CHECK_FALSE(done->line);

  SECTION("log lines that are not UTF-8 still go out, one line each") {
    std::string text = "tar: caf\xe9 \"quoted\"\tand a tab";
    std::string line = reply_line(text);
    CHECK(line.find('\n') == std::string::npos);
    auto parsed = parse_control_reply(line);
    REQUIRE(parsed);
    REQUIRE(parsed->line);
    CHECK_THAT(*parsed->line, Catch::StartsWith("tar: caf"));
    CHECK_THAT(*parsed->line, Catch::EndsWith("\"quoted\"\tand a tab"));
  }
  SECTION("garbage is an error, not a reply") { CHECK_FALSE(parse_control_reply("HTTP/1.1 400")); }
}
