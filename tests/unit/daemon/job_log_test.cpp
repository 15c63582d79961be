#include "daemon/job_log.hpp"

#include <catch2/catch.hpp>

#include "daemon/log_board.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;

TEST_CASE("JobLog escapes what a deploy command prints, line by line", "[daemon][job_log]") {
  test::TempDir dir;
  daemon::LogBoard board;
  daemon::JobLog log(dir / "job.log", board);
  log.set_redact([](std::string_view text) {
    std::string out(text);
    if (auto at = out.find("s3cret"); at != std::string::npos) out.replace(at, 6, "***");
    return out;
  });
  log.write("deploying deploy/a\x1b[2K.yaml\r\nfake\rline with s3cret\tand \xff\n");
  CHECK(log.contents(1 << 20) == "deploying deploy/a\\x1b[2K.yaml\nfake\\rline with ***\\tand \\xff\n");
}
