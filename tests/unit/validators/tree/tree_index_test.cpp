#include "validators/tree/tree_index.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>

#include "core/git/git.hpp"
#include "tests/unit/validators/test_support.hpp"
#include "validators/tree/tree_index_store.hpp"

using namespace pushgate;
using pushgate::test::TempDir;

namespace {

ObjectRef config_map(const std::string& name, int line) { return ObjectRef{"", "ConfigMap", "prod", name, line, 9}; }

std::vector<char> bytes_of(const std::string& text) { return std::vector<char>(text.begin(), text.end()); }

// path -> "identity@line:column" of every object, for comparing indexes.
std::vector<std::string> dump(const TreeIndex& index) {
  std::vector<std::string> out;
  for (const auto& file : index.files()) {
    out.push_back(std::string(file.path));
    for (const auto& o : index.objects(file))
      out.push_back(fmt::format("  {}@{}:{}", o.identity.substr(o.identity.rfind('\0') + 1), o.line, o.column));
  }
  return out;
}

TreeIndex round_trip(const ObjectIndex& index, std::string_view fingerprint = "fp") {
  auto parsed = TreeIndex::parse(bytes_of(TreeIndex::serialize(fingerprint, index)), fingerprint);
  REQUIRE(parsed);
  return std::move(*parsed);
}

}  // namespace

TEST_CASE("TreeIndex saves a tree's objects and reads them back", "[validators][index]") {
  ObjectIndex read;
  read.add("b/web.yaml", {config_map("web", 4), config_map("web-2", 9)}, true);
  read.add("a/empty.yaml", {}, false);
  TreeIndex index = round_trip(read);
  CHECK(dump(index) == std::vector<std::string>{"a/empty.yaml", "b/web.yaml", "  web@4:9", "  web-2@9:9"});
  CHECK(index.objects(index.files()[1])[0].identity == identity_of(config_map("web", 4)));

  SECTION("a new tree: the saved rest, minus what changed, plus the files read again") {
    index.erase({"b/web.yaml"});
    ObjectIndex next(&index);
    next.add("b/web.yaml", {config_map("web", 5)}, true);
    next.add("c.yaml", {config_map("c", 1)}, true);
    CHECK(next.file_count() == 3);
    CHECK(dump(round_trip(next)) ==
          std::vector<std::string>{"a/empty.yaml", "b/web.yaml", "  web@5:9", "c.yaml", "  c@1:9"});
  }
  SECTION("symbolic links are kept as such, so the next push follows them again") {
    ObjectIndex with_link;
    with_link.add("a/link.yaml", {config_map("web", 4)}, true);
    with_link.mark_link("a/link.yaml");
    with_link.add("a/real.yaml", {}, true);
    TreeIndex saved = round_trip(with_link);
    CHECK(saved.links() == std::vector<std::string>{"a/link.yaml"});
    CHECK(dump(saved) == std::vector<std::string>{"a/link.yaml", "  web@4:9", "a/real.yaml"});
    ObjectIndex next(&saved);  // copied from the rest, still a link
    next.add("b.yaml", {}, true);
    CHECK(round_trip(next).links() == std::vector<std::string>{"a/link.yaml"});
  }
  SECTION("erase drops files and whole folders, not names that merely start alike") {
    ObjectIndex tree;
    for (const char* path : {"a.yaml", "a/x.yaml", "a/y/z.yaml", "a/zz.yaml", "ab/x.yaml", "b.yaml", "c/d/e.yaml",
                             "c/f.yaml", "d.yaml"})
      tree.add(path, {}, false);
    TreeIndex all = round_trip(tree);
    all.erase({"c/d/", "b.yaml", "a/y/z.yaml", "a/", "zz.yaml"});
    CHECK(dump(all) == std::vector<std::string>{"a.yaml", "ab/x.yaml", "c/f.yaml", "d.yaml"});
  }
  SECTION("damaged bytes, another format or other settings are refused") {
    std::string saved = TreeIndex::serialize("fp", read);
    CHECK_FALSE(TreeIndex::parse(bytes_of(saved), "other settings"));
    CHECK_FALSE(TreeIndex::parse(bytes_of(saved.substr(0, saved.size() - 1)), "fp"));
    CHECK_FALSE(TreeIndex::parse(bytes_of(saved + "x"), "fp"));
    CHECK_FALSE(TreeIndex::parse(bytes_of("pushgate-object-cache 2\n"), "fp"));
    CHECK_FALSE(TreeIndex::parse({}, "fp"));
    std::string flipped = saved;  // lengths and order intact: only the checksum tells
    flipped[flipped.find("web-2")] ^= 0x20;
    CHECK_FALSE(TreeIndex::parse(bytes_of(flipped), "fp"));
    std::string huge_count = saved;
    huge_count.replace(huge_count.find("fp") + 2, 4, std::string("\xff\xff\xff\x7f", 4));
    CHECK_FALSE(TreeIndex::parse(bytes_of(huge_count), "fp"));
  }
}

TEST_CASE("index_fingerprint changes with what shapes the index", "[validators][index]") {
  ValidateSettings base;
  ValidateSettings globs = base, limits = base, budget = base;
  globs.exclude.push_back("vendor/**");
  limits.limits.depth = 10;
  budget.time_budget = std::chrono::milliseconds(1);
  CHECK(index_fingerprint(globs) != index_fingerprint(base));
  CHECK(index_fingerprint(limits) != index_fingerprint(base));
  CHECK(index_fingerprint(budget) == index_fingerprint(base));
}

TEST_CASE("TreeIndexStore keeps the newest indexes by tree id", "[validators][index]") {
  TempDir dir;
  std::string git_dir = dir.path().string() + "/";
  TreeIndexStore store(git_dir, "fp");
  ObjectIndex read;
  read.add("web.yaml", {config_map("web", 4)}, true);
  auto tree = [](int i) { return git::parse_oid(fmt::format("{:040x}", i)).value(); };

  CHECK_FALSE(store.load(tree(1)));
  CHECK(store.recent().empty());
  store.save(tree(1), read);
  auto loaded = store.load(tree(1));
  REQUIRE(loaded);
  CHECK(dump(*loaded) == std::vector<std::string>{"web.yaml", "  web@4:9"});
  CHECK_FALSE(TreeIndexStore(git_dir, "other settings").load(tree(1)));

  SECTION("the oldest beyond eight go; saving a kept tree again keeps it longer") {
    auto age = [&](int i, int seconds) {
      std::filesystem::last_write_time(git_dir + "pushgate/trees/" + git::to_hex(tree(i)),
                                       std::filesystem::file_time_type::clock::now() - std::chrono::seconds(seconds));
    };
    age(1, 100);
    for (int i = 2; i <= 8; ++i) {
      store.save(tree(i), read);
      age(i, 100 - i);
    }
    store.save(tree(1), read);  // already there: made newest
    store.save(tree(9), read);
    std::vector<git_oid> recent = store.recent();
    REQUIRE(recent.size() == 8);
    CHECK_FALSE(store.load(tree(2)));
    CHECK(store.load(tree(1)));
    CHECK(git::to_hex(recent.back()) == git::to_hex(tree(3)));
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(git_dir + "pushgate/trees")) files += e.is_regular_file();
    CHECK(files == 8);  // no temporary file left behind
  }
}
