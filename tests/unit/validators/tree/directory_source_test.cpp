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
