#include "core/util/redactor.hpp"

#include <catch2/catch.hpp>

using namespace pushgate;

TEST_CASE("Redactor hides every occurrence of every secret") {
  Redactor r({"hunter2", "s3cr3t; $(x)", ""});
  CHECK(r.redact("password=hunter2 again hunter2") == "password=*** again ***");
  CHECK(r.redact("token 's3cr3t; $(x)'") == "token '***'");
  CHECK(r.redact("nothing to hide") == "nothing to hide");
  CHECK(r.redact("") == "");
}

TEST_CASE("Redactor leaves no part of overlapping or adjacent secrets") {
  Redactor r({"abc", "bcd", "xy"});
  CHECK(r.redact("1abcd2") == "1***2");
  CHECK(r.redact("xyxy abc") == "*** ***");
}

TEST_CASE("Redactor hides each line of a multi-line secret") {
  Redactor r({"-----BEGIN KEY-----\r\nMIIEpAIBAAKCAQEA\n-----END KEY-----\n"});
  CHECK(r.redact("MIIEpAIBAAKCAQEA") == "***");
  CHECK(r.redact("cat key: -----END KEY-----") == "cat key: ***");
}

TEST_CASE("Redactor::wrap redacts each line before passing it on") {
  std::vector<std::string> lines;
  LineSink sink = Redactor({"hunter2"}).wrap([&](std::string_view l) { lines.emplace_back(l); });
  sink("$ login --password hunter2");
  sink("ok");
  CHECK(lines == std::vector<std::string>{"$ login --password ***", "ok"});
}
