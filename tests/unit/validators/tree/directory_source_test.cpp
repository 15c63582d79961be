#include "validators/tree/directory_source.hpp"

#include <catch2/catch.hpp>

#include "core/config/repo_config.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;

TEST_CASE("DirectorySource reads a symbolic link as its target inside the folder", "[validators][links]") {
  test::TempDir dir;
  test::TempDir elsewhere;
  test::spit(dir / "deploy/web.txt", "kind: ConfigMap\n");
  test::spit(elsewhere / "secret.yaml", "x: 1\n");
  std::filesystem::create_symlink("web.txt", dir / "deploy/web.yaml");
  std::filesystem::create_symlink(elsewhere / "secret.yaml", dir / "deploy/out.yaml");
  std::filesystem::create_symlink("missing.yaml", dir / "deploy/gone.yaml");
  std::filesystem::create_symlink("../deploy", dir / "deploy/folder.yaml");
  ValidateSettings settings;
  PathFilter filter(settings.include, settings.exclude);
  DirectorySource source({dir.path().string()}, filter);

  REQUIRE(source.entries().size() == 4);
  auto entry = [&](std::string_view name) {
    for (const ManifestEntry& e : source.entries())
      if (e.path.ends_with(name)) return e;
    FAIL("no entry " << name);
    return ManifestEntry();
  };
  ManifestEntry web = entry("deploy/web.yaml");
  CHECK(web.problem.empty());
  CHECK(web.link.ends_with("deploy/web.txt"));
  CHECK(source.read(web).value() == "kind: ConfigMap\n");
  CHECK_THAT(entry("deploy/out.yaml").problem, Catch::Contains("outside"));
  CHECK_THAT(entry("deploy/gone.yaml").problem, Catch::Contains("cannot be followed"));
  CHECK_THAT(entry("deploy/folder.yaml").problem, Catch::Contains("not a regular file"));
}

TEST_CASE("DirectorySource lists the files of a folder sorted by path", "[validators]") {
  test::TempDir dir;
  // '-' < '.' < '/' < '0': a folder sorts by its name and the '/' after it.
  for (const char* name : {"a0.yaml", "a/b.yaml", "a.yaml", "a-b/c.yaml", "B.yaml", "a/.git/x.yaml"})
    test::spit(dir / name, "x: 1\n");
  ValidateSettings settings;
  PathFilter filter(settings.include, settings.exclude);
  DirectorySource source({dir.path().string()}, filter);
  std::vector<std::string> paths;
  for (const ManifestEntry& e : source.entries()) paths.push_back(e.path);
  std::string root = dir.path().string() + "/";
  CHECK(paths == std::vector<std::string>{root + "B.yaml", root + "a-b/c.yaml", root + "a.yaml", root + "a/b.yaml",
                                          root + "a0.yaml"});
}

TEST_CASE("DirectorySource keeps the files the globs do not select when asked", "[validators]") {
  test::TempDir dir;
  test::spit(dir / "deploy/web.yaml", "x: 1\n");
  test::spit(dir / "deploy/notes.txt", "y\n");
  test::spit(dir / ".git/config", "z\n");
  std::filesystem::create_symlink("notes.txt", dir / "deploy/link.txt");
  ValidateSettings settings;
  PathFilter filter(settings.include, settings.exclude);
  CHECK(DirectorySource({dir.path().string()}, filter).unselected().empty());
  SECTION("a folder") {
    DirectorySource source({dir.path().string()}, filter, DirectorySource::Unselected::keep);
    REQUIRE(source.entries().size() == 1);
    REQUIRE(source.unselected().size() == 1);
    CHECK(source.unselected()[0].path == (dir / "deploy/notes.txt").string());
    CHECK(source.read(source.unselected()[0]).value() == "y\n");
  }
  SECTION("a file named as an argument is an entry, not also unselected") {
    std::string notes = (dir / "deploy/notes.txt").string();
    DirectorySource source({dir.path().string(), notes}, filter, DirectorySource::Unselected::keep);
    REQUIRE(source.entries().size() == 2);
    CHECK(source.unselected().empty());
  }
}
