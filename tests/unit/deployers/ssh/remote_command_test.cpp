#include "deployers/ssh/remote_command.hpp"

#include <catch2/catch.hpp>

#include "core/util/error.hpp"
#include "core/util/shell_quote.hpp"

using namespace pushgate;
using namespace pushgate::ssh;

TEST_CASE("shell_quote makes one literal word of any value") {
  CHECK(shell_quote("plain") == "'plain'");
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("$(id)\n`x`") == "'$(id)\n`x`'");
}

TEST_CASE("remote_command quotes the folder, the variables and every argument") {
  ProcessSpec spec;
  spec.argv = {"deploy", "a b", "it's"};
  CHECK(remote_command(spec) == "exec env -- 'deploy' 'a b' 'it'\\''s'");
  spec.env = {{"PUSHGATE_COMMIT", "abc"}, {"X", "$(id)"}};
  spec.cwd = "/srv/my app";
  CHECK(remote_command(spec) ==
        "cd -- '/srv/my app' && exec env -- 'PUSHGATE_COMMIT=abc' 'X=$(id)' 'deploy' 'a b' 'it'\\''s'");
}

TEST_CASE("remote_command refuses what env would misread") {
  ProcessSpec spec;
  CHECK_THROWS_AS(remote_command(spec), Failure);
  spec.argv = {"A=B", "x"};
  CHECK_THROWS_WITH(remote_command(spec), Catch::Contains("contains '='"));
  spec.argv = {"true"};
  spec.env = {{"1X", "v"}};
  CHECK_THROWS_WITH(remote_command(spec), Catch::Contains("'1X' is not a variable name"));
}
