// What the k8s.schema check costs: compiling an OpenAPI document, loading the
// compiled form (what every push does), and checking objects, printed beside
// parsing the same objects (the parse is what every validator pays anyway).
//
//   schema_check SWAGGER_JSON MANIFEST_DIR
//
// MANIFEST_DIR is read recursively for *.yaml (bench/gen_manifests.py makes
// one). Single thread; times are the best of a few runs where noted.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_files.hpp"
#include "core/yaml/yaml_tree.hpp"
#include "validators/k8s/k8s_object.hpp"
#include "validators/schema/object_check.hpp"
#include "validators/schema/schema_set.hpp"

namespace {

using pushgate::bench::Clock;
using pushgate::bench::ms_since;

// The best time in ms of `runs` calls of `work`.
template <class F>
double best_of(int runs, F&& work) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    work();
    best = std::min(best, ms_since(start));
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pushgate;
  if (argc != 3) {
    std::fprintf(stderr, "usage: schema_check SWAGGER_JSON MANIFEST_DIR\n");
    return 2;
  }
  std::string swagger = pushgate::bench::read_file(argv[1]);
  schema::SchemaSet set;
  double compile_ms = best_of(3, [&] {
    set = schema::SchemaSet();
    set.add_openapi(swagger, argv[1]);
  });
  std::string bytes = set.compiled();
  double load_ms = best_of(200, [&] { schema::SchemaSet::from_compiled(bytes); });
  std::printf("compile %s (%.1f MB): %.1f ms; %zu kinds, %zu types\n", argv[1], swagger.size() / 1e6, compile_ms,
              set.kind_count(), set.tables().types.size());
  std::printf("compiled form: %.0f KB; from_compiled (incl. one copy of the bytes): %.3f ms (best of 200)\n",
              bytes.size() / 1e3, load_ms);

  std::vector<std::string> texts;
  std::size_t total_bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[2]))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      texts.push_back(pushgate::bench::read_file(entry.path()));
      total_bytes += texts.back().size();
    }
  std::vector<yaml::LoadResult> parsed(texts.size());
  auto start = Clock::now();
  for (std::size_t i = 0; i < texts.size(); ++i) parsed[i] = yaml::load(texts[i], yaml::Limits{});
  double parse_ms = ms_since(start);

  schema::SchemaSet loaded = schema::SchemaSet::from_compiled(bytes);
  std::size_t objects = 0, findings = 0, unknown = 0;
  std::vector<Finding> out;
  start = Clock::now();
  for (const auto& file : parsed)
    for (const auto& doc : file.documents) {
      if (!looks_like_object(doc, doc.root())) continue;
      ++objects;
      out.clear();
      if (schema::check_object(loaded, nullptr, doc, doc.root(), "f.yaml", out) != schema::Lookup::checked) ++unknown;
      findings += out.size();
    }
  double check_ms = ms_since(start);
  std::printf("%zu files, %.1f MB, %zu objects (%zu of unknown kind, %zu findings)\n", texts.size(),
              total_bytes / 1e6, objects, unknown, findings);
  std::printf("parse (yaml::load):   %8.1f ms  %9.0f objects/s\n", parse_ms, objects / (parse_ms / 1e3));
  std::printf("schema check:         %8.1f ms  %9.0f objects/s  %.2f us/object\n", check_ms,
              objects / (check_ms / 1e3), check_ms * 1e3 / std::max<std::size_t>(objects, 1));
  std::printf("check / parse:        %8.2f\n", check_ms / parse_ms);

  // Deployments alone, the kind schema_valijson checks.
  std::size_t deployments = 0;
  start = Clock::now();
  for (const auto& file : parsed)
    for (const auto& doc : file.documents) {
      if (scalar_text(doc, doc.find(doc.root(), "kind")) != "Deployment") continue;
      ++deployments;
      out.clear();
      schema::check_object(loaded, nullptr, doc, doc.root(), "f.yaml", out);
    }
  double deployments_ms = ms_since(start);
  std::printf("Deployments only:     %8.1f ms  %zu objects, %.2f us/object\n", deployments_ms, deployments,
              deployments_ms * 1e3 / std::max<std::size_t>(deployments, 1));
  return 0;
}
