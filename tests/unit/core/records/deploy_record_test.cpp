#include <catch2/catch.hpp>

#include "core/records/deploy_record.hpp"

using namespace pushgate;

namespace {

DeployRecord sample() {
  DeployRecord r;
  r.timestamp = "2026-11-26T07:30:00Z";
  r.env = "production";
  r.status = DeployStatus::succeeded;
  r.fields = {{"job", "17"}, {"duration_ms", "840"}, {"pusher", "alice"}};
  return r;
}

}  // namespace

TEST_CASE("format_record writes the line DESIGN.md shows") {
  CHECK(format_record(sample()) ==
        "2026-11-26T07:30:00Z env=production status=succeeded job=17 duration_ms=840 pusher=alice");
  DeployRecord r = sample();
  r.status = DeployStatus::rolled_back;
  r.fields = {{"message", "health check failed"}};
  CHECK(format_record(r) ==
        "2026-11-26T07:30:00Z env=production status=rolled-back message=\"health check failed\"");
}

TEST_CASE("format_record and parse_record round-trip hostile values") {
  std::string value = GENERATE(std::string("two words"), std::string("say \"hi\""), std::string("a=b"),
                               std::string("line one\nline two\r\n"), std::string("tab\there"),
                               std::string("C:\\path\\"), std::string("\\\"\\"), std::string(""),
                               std::string("Zoë 🚀 日本"), std::string("bell\x07 del\x7f"),
                               std::string("\" status=failed"), std::string(" leading and trailing "));
  DeployRecord r = sample();
  r.env = "prod " + value;
  r.fields.emplace_back("message", value);
  r.fields.emplace_back("pusher", value);
  std::string line = format_record(r);
  INFO(line);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find('\r') == std::string::npos);
  auto back = parse_record(line);
  REQUIRE(back);
  CHECK(back->timestamp == r.timestamp);
  CHECK(back->env == r.env);
  CHECK(back->status == DeployStatus::succeeded);
  CHECK(back->fields == r.fields);
}

TEST_CASE("format_record keeps UTF-8 readable") {
  DeployRecord r = sample();
  r.fields = {{"pusher", "zoë"}};
  CHECK_THAT(format_record(r), Catch::EndsWith(" pusher=zoë"));
}

TEST_CASE("parse_record returns nullopt for lines that are not records") {
  for (std::string_view line :
       {"", "Deployed by hand", "2026-11-26T07:30:00Z", "2026-11-26T07:30:00Z status=failed",
        "2026-11-26T07:30:00Z env=prod", "2026-11-26T07:30:00Z env=prod status=exploded",
        "yesterday env=prod status=failed", "2026-11-26T07:30:00Z env=prod status=failed msg=\"open",
        "2026-11-26T07:30:00Z env=prod status=failed msg=\"a\"b",
        "2026-11-26T07:30:00Z env=prod status=failed x",
        "2026-11-26T07:30:00Z env=prod status=failed m=\"bad \\q escape\""}) {
    INFO(line);
    CHECK_FALSE(parse_record(line));
  }
}

TEST_CASE("DeployRecord::field finds a field or gives empty") {
  auto r =
      parse_record("2026-11-26T07:30:00.5+01:00 env=prod status=failed job=3 message=\"exit status 2\"\r");
  REQUIRE(r);
  CHECK(r->status == DeployStatus::failed);
  CHECK(r->field("job") == "3");
  CHECK(r->field("message") == "exit status 2");
  CHECK(r->field("release").empty());
}

TEST_CASE("parse_records reads every record of a note, in order") {
  std::string note = "2026-11-26T07:30:00Z env=prod status=interrupted job=4\n"
                     "\n"
                     "a line someone added with git notes append\n"
                     "2026-11-26T07:31:00Z env=prod status=succeeded job=4\n"
                     "2026-11-26T07:32:00Z env=prod status=superseded job=5";
  auto records = parse_records(note);
  REQUIRE(records.size() == 3);
  CHECK(records[0].status == DeployStatus::interrupted);
  CHECK(records[1].status == DeployStatus::succeeded);
  CHECK(records[2].field("job") == "5");
  CHECK(parse_records("").empty());
}

TEST_CASE("deploy statuses have the names DESIGN.md gives and a finality") {
  const std::pair<DeployStatus, const char*> names[] = {
      {DeployStatus::succeeded, "succeeded"},     {DeployStatus::failed, "failed"},
      {DeployStatus::superseded, "superseded"},   {DeployStatus::rolled_back, "rolled-back"},
      {DeployStatus::interrupted, "interrupted"}, {DeployStatus::drifted, "drifted"},
      {DeployStatus::healed, "healed"}};
  for (auto [status, name] : names) {
    CHECK(std::string(to_string(status)) == name);
    CHECK(parse_deploy_status(name) == status);
  }
  CHECK_FALSE(parse_deploy_status("rolled_back"));
  CHECK(is_final(DeployStatus::rolled_back));
  CHECK(is_final(DeployStatus::superseded));
  CHECK_FALSE(is_final(DeployStatus::interrupted));
  CHECK_FALSE(is_final(DeployStatus::drifted));
}
