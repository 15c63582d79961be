#include "validators/object_index.hpp"

#include <catch2/catch.hpp>

#include <fstream>

#include "tests/unit/validators/test_support.hpp"

using namespace pushgate;
using pushgate::test::TempDir;

namespace {

std::vector<ObjectRef> objects_in(const std::string& text) {
  yaml::LoadResult loaded = yaml::load(text, {});
  REQUIRE(loaded.complete);
  std::vector<ObjectRef> all;
  for (const auto& doc : loaded.documents)
    for (auto& o : objects_of(doc)) all.push_back(o);
  return all;
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace

TEST_CASE("objects_of finds object identities", "[validators][index]") {
  SECTION("group, kind, namespace, name and the name's position") {
    auto objects = objects_in("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  namespace: prod\n  name: web\n"
                              "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n");
    REQUIRE(objects.size() == 2);
    CHECK(objects[0].group == "apps");
    CHECK(objects[0].kind == "Deployment");
    CHECK(objects[0].namespace_ == "prod");
    CHECK(objects[0].name == "web");
    CHECK(objects[0].line == 5);
    CHECK(objects[0].column == 9);
    CHECK(objects[1].group == "");
    CHECK(objects[1].namespace_ == "");
    CHECK(objects[1].line == 9);
  }
  SECTION("List items, each at its own place") {
    auto objects = objects_in("apiVersion: v1\nkind: List\nitems:\n"
                              "- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n"
                              "- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n");
    REQUIRE(objects.size() == 2);
    CHECK(objects[0].name == "a");
    CHECK(objects[0].line == 4);
    CHECK(objects[1].name == "b");
    CHECK(objects[1].line == 5);
  }
  SECTION("no name (generateName) or no kind: no identity") {
    CHECK(objects_in("apiVersion: v1\nkind: Pod\nmetadata: {generateName: x-}\n").empty());
    CHECK(objects_in("apiVersion: v1\nmetadata: {name: x}\n").empty());
    CHECK(objects_in("just: data\n").empty());
  }
}

TEST_CASE("ObjectCache persists objects by content key", "[validators][index][cache]") {
  TempDir dir;
  std::string file = (dir / "cache/objects").string();
  ObjectRef tricky{"apps", "Deployment", "ns\twith\ttabs", "name\nwith\\newline\r", 3, 7};

  SECTION("save and load round trip, escaping awkward names") {
    ObjectCache cache;
    CHECK_FALSE(cache.dirty());
    cache.put("blob-1", {tricky, ObjectRef{"", "Service", "", "web", 10, 9}});
    cache.put("blob\t2", {});
    CHECK(cache.dirty());
    REQUIRE(cache.save(file).has_value());

    ObjectCache loaded = ObjectCache::load(file);
    CHECK_FALSE(loaded.dirty());
    const auto* objects = loaded.find("blob-1");
    REQUIRE(objects);
    REQUIRE(objects->size() == 2);
    CHECK((*objects)[0].namespace_ == tricky.namespace_);
    CHECK((*objects)[0].name == tricky.name);
    CHECK((*objects)[0].line == 3);
    CHECK((*objects)[0].column == 7);
    CHECK((*objects)[1].kind == "Service");
    REQUIRE(loaded.find("blob\t2"));
    CHECK(loaded.find("blob\t2")->empty());
    CHECK_FALSE(loaded.find("blob-3"));
  }
  SECTION("retain keeps only live keys") {
    ObjectCache cache;
    cache.put("a", {tricky});
    cache.put("b", {tricky});
    REQUIRE(cache.save(file).has_value());
    ObjectCache loaded = ObjectCache::load(file);
    loaded.retain({"b", "c"});
    CHECK(loaded.dirty());
    CHECK_FALSE(loaded.find("a"));
    CHECK(loaded.find("b"));
  }
  SECTION("a missing or foreign file is an empty cache; a damaged entry is skipped") {
    CHECK_FALSE(ObjectCache::load((dir / "nothing").string()).find("a"));
    ObjectCache cache;
    cache.put("a", {tricky});
    cache.put("b", {tricky});
    REQUIRE(cache.save(file).has_value());
    std::ifstream in(file, std::ios::binary);
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    REQUIRE(ObjectCache::load(file).find("a"));

    // A write cut short loses only the entry it was writing.
    write(file, text.substr(0, text.size() - 8));
    ObjectCache cut = ObjectCache::load(file);
    CHECK(cut.size() == 1);
    write(file, "garbage\n" + text);
    CHECK(ObjectCache::load(file).size() == 0);
    CHECK(ObjectCache::load(file).dirty());  // a foreign file is replaced on save
    std::string bad_count = text;
    bad_count.replace(bad_count.find("\t1\t"), 3, "\tx\t");
    write(file, bad_count);
    CHECK(ObjectCache::load(file).size() == 1);
    write(file, std::string("\0\1\2", 3));
    CHECK_FALSE(ObjectCache::load(file).find("a"));
  }
  SECTION("save appends only what was added, and later loads see it") {
    ObjectCache first;
    first.put("a", {tricky});
    REQUIRE(first.save(file).has_value());
    auto size_before = std::filesystem::file_size(file);
    ObjectCache second = ObjectCache::load(file);
    CHECK_FALSE(second.dirty());
    second.put("b", {ObjectRef{"", "Service", "", "web", 1, 1}});
    REQUIRE(second.save(file).has_value());
    CHECK_FALSE(second.dirty());
    CHECK(std::filesystem::file_size(file) > size_before);
    ObjectCache third = ObjectCache::load(file);
    CHECK(third.find("a"));
    REQUIRE(third.find("b"));
    CHECK(third.find("b")->front().kind == "Service");
    third.retain({"b"});
    REQUIRE(third.save(file).has_value());
    ObjectCache fourth = ObjectCache::load(file);
    CHECK_FALSE(fourth.find("a"));
    CHECK(fourth.find("b"));
  }
  SECTION("save leaves no temporary files behind") {
    ObjectCache cache;
    cache.put("a", {tricky});
    REQUIRE(cache.save(file).has_value());
    REQUIRE(cache.save(file).has_value());
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator((dir / "cache").string())) files += e.is_regular_file();
    CHECK(files == 1);
  }
  SECTION("save into a folder that cannot be written reports an error") {
    ObjectCache cache;
    cache.put("a", {tricky});
    write((dir / "plain-file").string(), "x");
    auto saved = cache.save((dir / "plain-file/objects").string());
    REQUIRE_FALSE(saved.has_value());
    CHECK(saved.error().code == ErrorCode::io);
  }
}
