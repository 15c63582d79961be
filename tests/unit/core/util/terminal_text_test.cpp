#include "core/util/terminal_text.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>

using pushgate::escape_control;
using pushgate::escape_lines;

TEST_CASE("escape_control keeps ordinary text as it is", "[terminal_text]") {
  CHECK(escape_control("deploy/web.yaml") == "deploy/web.yaml");
  CHECK(escape_control("refs/heads/feature-1") == "refs/heads/feature-1");
  CHECK(escape_control("d\xc3\xa9ploiement/\xe2\x82\xac.yaml") == "d\xc3\xa9ploiement/\xe2\x82\xac.yaml");
  CHECK(escape_control("\xf0\x9f\x9a\x80 \"quoted\" ~!") == "\xf0\x9f\x9a\x80 \"quoted\" ~!");
  CHECK(escape_control("") == "");
}

TEST_CASE("escape_control writes control characters escaped", "[terminal_text]") {
  SECTION("C0 controls, DEL") {
    CHECK(escape_control("a\nremote: pushgate: push accepted") == "a\\nremote: pushgate: push accepted");
    CHECK(escape_control("x\r\ty") == "x\\r\\ty");
    CHECK(escape_control("\x1b[31mred") == "\\x1b[31mred");
    CHECK(escape_control(std::string_view("a\0b", 3)) == "a\\x00b");
    CHECK(escape_control("\x7f") == "\\x7f");
  }
  SECTION("C1 controls as their UTF-8 bytes") {
    CHECK(escape_control("\xc2\x9b" "31m") == "\\xc2\\x9b31m");
    CHECK(escape_control("\xc2\x85") == "\\xc2\\x85");
    CHECK(escape_control("\xc2\xa0") == "\xc2\xa0");  // no-break space is printable
  }
  SECTION("a backslash is doubled, so an escape cannot be forged") {
    CHECK(escape_control("a\\nb") == "a\\\\nb");
    CHECK(escape_control("a\nb") != escape_control("a\\nb"));
  }
  SECTION("text escaped before keeps its backslashes") {
    CHECK(escape_control("a\\nb\x1b", pushgate::Backslash::keep) == "a\\nb\\x1b");
  }
}

TEST_CASE("escape_control finds what to escape anywhere in long printable text", "[terminal_text]") {
  // Long runs are scanned eight bytes at a step: every byte position of a
  // step, and every kind of byte that ends a run, must still be found.
  const std::string plain(40, 'a');
  for (auto [raw, escaped] : {std::pair<std::string_view, std::string_view>{"\n", "\\n"},
                              {std::string_view("\0", 1), "\\x00"}, {"\x1f", "\\x1f"}, {"\x7f", "\\x7f"},
                              {"\\", "\\\\"}, {"\xc2\x9b", "\\xc2\\x9b"}, {"\xff", "\\xff"}}) {
    for (std::size_t at = 0; at <= 17; ++at) {
      std::string text = plain.substr(0, at) + std::string(raw) + plain.substr(at);
      CHECK(escape_control(text) == plain.substr(0, at) + std::string(escaped) + plain.substr(at));
    }
  }
  CHECK(escape_control(plain + " ~!\"#$%&'()*+,-./0123456789:;<=>?@[]^_`{|}") ==
        plain + " ~!\"#$%&'()*+,-./0123456789:;<=>?@[]^_`{|}");
  CHECK(escape_control(plain + "\\", pushgate::Backslash::keep) == plain + "\\");
}

TEST_CASE("escape_control writes invalid UTF-8 bytes as \\xNN", "[terminal_text]") {
  CHECK(escape_control("\xff") == "\\xff");
  CHECK(escape_control("a\xc3") == "a\\xc3");               // cut short
  CHECK(escape_control("\xc3(") == "\\xc3(");                // bad continuation
  CHECK(escape_control("\xc0\xaf") == "\\xc0\\xaf");         // overlong '/'
  CHECK(escape_control("\xed\xa0\x80") == "\\xed\\xa0\\x80"); // surrogate
  CHECK(escape_control("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
}

TEST_CASE("escape_lines escapes each line and keeps the breaks", "[terminal_text]") {
  CHECK(escape_lines("one\ntwo\n") == "one\ntwo\n");
  CHECK(escape_lines("one\r\ntwo") == "one\ntwo");
  CHECK(escape_lines("\x1b]0;title\x07\nok\n") == "\\x1b]0;title\\x07\nok\n");
  CHECK(escape_lines("a\rb\n") == "a\\rb\n");
  CHECK(escape_lines("") == "");
}
