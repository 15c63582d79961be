#include "validators/k8s/duplicate_objects.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/validators/test_support.hpp"
#include "validators/tree/tree_index.hpp"

using namespace pushgate;
using pushgate::test::MemorySource;
using pushgate::test::only;
using pushgate::test::with_rule;

namespace {

std::string config_map(const std::string& name, const std::string& ns = "") {
  std::string text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n";
  if (!ns.empty()) text += "  namespace: " + ns + "\n";
  return text;
}

Report run(const MemorySource& source, const std::vector<std::string>* changed = nullptr) {
  return Engine(ValidateSettings{}).run(source, changed, {});
}

}  // namespace

TEST_CASE("k8s.duplicate finds one object defined twice", "[validators][duplicate]") {
  SECTION("across two files: at the later path, pointing at the first") {
    MemorySource source;
    source.add("b/web.yaml", config_map("web", "prod"));
    source.add("a/web.yaml", "# same object\n" + config_map("web", "prod"));
    Finding f = only(run(source), "k8s.duplicate");
    CHECK(f.severity == Severity::error);
    CHECK(f.where.path == "b/web.yaml");
    CHECK(f.where.line == 4);
    CHECK(f.where.column == 9);
    REQUIRE(f.related.size() == 1);
    CHECK(f.related[0].path == "a/web.yaml");
    CHECK(f.related[0].line == 5);
    CHECK(f.message.find("a/web.yaml:5:9") != std::string::npos);
    CHECK(f.message.find("ConfigMap 'web' in namespace 'prod'") != std::string::npos);
  }
  SECTION("within one file, at the later line") {
    MemorySource source;
    source.add("all.yaml", config_map("web") + "---\n" + config_map("web"));
    Finding f = only(run(source), "k8s.duplicate");
    CHECK(f.where.line == 9);
    CHECK(f.related.at(0).line == 4);
  }
  SECTION("inside a List and next to it") {
    MemorySource source;
    source.add("list.yaml", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: web}}\n");
    source.add("web.yaml", config_map("web"));
    Finding f = only(run(source), "k8s.duplicate");
    CHECK(f.where.path == "web.yaml");
    CHECK(f.related.at(0).path == "list.yaml");
    CHECK(f.related.at(0).line == 4);
  }
  SECTION("different group, kind, namespace or name: not duplicates") {
    MemorySource source;
    source.add("a.yaml", config_map("web", "prod"));
    source.add("b.yaml", config_map("web", "staging"));
    source.add("c.yaml", config_map("web2", "prod"));
    source.add("d.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: web, namespace: prod}\n");
    source.add("e.yaml", "apiVersion: example.com/v1\nkind: ConfigMap\nmetadata: {name: web, namespace: prod}\n");
    CHECK(with_rule(run(source), "k8s.duplicate").empty());
  }
  SECTION("no namespace means 'default' for namespaced kinds") {
    MemorySource source;
    source.add("a.yaml", config_map("web"));
    source.add("b.yaml", config_map("web", "default"));
    CHECK(only(run(source), "k8s.duplicate").where.path == "b.yaml");
  }
  SECTION("cluster-scoped kinds ignore the namespace") {
    MemorySource source;
    source.add("a.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}\n");
    source.add("b.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, namespace: x}\n");
    CHECK(only(run(source), "k8s.duplicate").where.path == "b.yaml");
  }
  SECTION("reported only when one of the two files is changed") {
    MemorySource source;
    source.add("a.yaml", config_map("web"));
    source.add("b.yaml", config_map("web"));
    source.add("c.yaml", config_map("other"));
    std::vector<std::string> first{"a.yaml"}, second{"b.yaml"}, neither{"c.yaml"};
    Finding at_first = only(run(source, &first), "k8s.duplicate");
    CHECK(at_first.where.path == "a.yaml");  // where the push made it
    CHECK(at_first.related.at(0).path == "b.yaml");
    CHECK(at_first.message.find("is also defined at b.yaml:4:9") != std::string::npos);
    Finding at_second = only(run(source, &second), "k8s.duplicate");
    CHECK(at_second.where.path == "b.yaml");
    CHECK(at_second.message.find("is already defined at a.yaml:4:9") != std::string::npos);
    CHECK(with_rule(run(source, &neither), "k8s.duplicate").empty());
  }
  SECTION("a file that does not parse defines no objects") {
    MemorySource source;
    source.add("a.yaml", config_map("web"));
    source.add("b.yaml", config_map("web") + "data: [\n");
    CHECK(with_rule(run(source), "k8s.duplicate").empty());
  }
}

TEST_CASE("k8s.duplicate sees the rest of the tree through a saved index", "[validators][duplicate]") {
  // The tree's other files, as an earlier push indexed them.
  MemorySource earlier;
  earlier.add("apps/web.yaml", config_map("web", "prod"));
  earlier.add("apps/zz-twice.yaml", config_map("old", "prod") + "---\n" + config_map("old", "prod"));
  std::string saved = TreeIndex::serialize("fp", Engine(ValidateSettings{}).run(earlier, nullptr, {}).objects);
  TreeIndex rest = TreeIndex::parse(std::vector<char>(saved.begin(), saved.end()), "fp").value();
  EngineOptions options;
  options.rest = &rest;

  SECTION("a pushed file defining an object of the rest is reported there") {
    MemorySource pushed;
    pushed.add("a-copy.yaml", "# copy\n" + config_map("web", "prod"));
    Report report = Engine(ValidateSettings{}).run(pushed, nullptr, options);
    CHECK(report.files_indexed == 3);
    Finding f = only(report, "k8s.duplicate");
    CHECK(f.where.path == "a-copy.yaml");
    CHECK(f.where.line == 5);
    REQUIRE(f.related.size() == 1);
    CHECK(f.related[0].path == "apps/web.yaml");
    CHECK(f.related[0].line == 4);
    CHECK(f.message.find("ConfigMap 'web' in namespace 'prod' is also defined at apps/web.yaml:4:9") !=
          std::string::npos);
  }
  SECTION("duplicates within the rest are not the push's doing") {
    MemorySource pushed;
    pushed.add("new.yaml", config_map("new", "prod"));
    CHECK(with_rule(Engine(ValidateSettings{}).run(pushed, nullptr, options), "k8s.duplicate").empty());
  }
  SECTION("a file read again but not changed is not blamed") {
    MemorySource pushed;
    pushed.add("b.yaml", config_map("web", "prod"));
    pushed.add("c.yaml", config_map("fine", "prod"));
    std::vector<std::string> changed{"c.yaml"};
    CHECK(with_rule(Engine(ValidateSettings{}).run(pushed, &changed, options), "k8s.duplicate").empty());
  }
}
