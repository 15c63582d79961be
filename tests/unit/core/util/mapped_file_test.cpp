#include "core/util/mapped_file.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;

TEST_CASE("MappedFile gives a regular file's bytes, and nothing for what is none", "[util]") {
  test::TempDir dir;
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.path() / name, std::ios::binary) << text;
    return (dir.path() / name).string();
  };

  SECTION("bytes, NUL included, that stay put when the mapping moves") {
    auto file = MappedFile::open(write("index", std::string("one\0two", 7)));
    REQUIRE(file);
    const char* data = file->bytes().data();
    MappedFile moved = std::move(*file);
    CHECK(moved.bytes() == std::string_view("one\0two", 7));
    CHECK(moved.bytes().data() == data);
  }
  SECTION("an empty file has no bytes") {
    auto file = MappedFile::open(write("empty", ""));
    REQUIRE(file);
    CHECK(file->bytes().empty());
  }
  SECTION("missing, a folder or a symbolic link: none") {
    CHECK_FALSE(MappedFile::open((dir.path() / "missing").string()));
    CHECK_FALSE(MappedFile::open(dir.path().string()));
    std::filesystem::create_symlink(write("target", "x"), dir.path() / "link");
    CHECK_FALSE(MappedFile::open((dir.path() / "link").string()));
  }
}
