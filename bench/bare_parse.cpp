// The parsing limit for bench/validate_throughput.sh: read every *.yaml file
// under a folder and run libfyaml's event parser over its bytes, nothing else
// (no tree, no scalar text). pushgate validate is built on this parser and
// cannot be faster than it, so its rate is judged against this one.
//
//   bare_parse DIR [-j N]     prints: files=F documents=D bytes=B
//
// Built by the benchmark script:
//   g++ -O2 -std=c++20 bare_parse.cpp $(pkg-config --cflags --libs libfyaml) -pthread

#include <libfyaml.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Totals {
  std::atomic<std::size_t> documents{0};
  std::atomic<std::size_t> bytes{0};
  std::atomic<std::size_t> failures{0};
};

// Documents in `text`, or -1 when it is not YAML. Each thread reuses one
// parser, as pushgate does: one that reached the end of its text takes the
// next as it is; one that failed is replaced (libfyaml cannot reset a parser
// in the middle of a stream).
long parse(fy_parser* parser, const std::string& text) {
  if (fy_parser_set_string(parser, text.data(), text.size()) != 0) std::abort();
  long documents = 0;
  while (fy_event* event = fy_parser_parse(parser)) {
    documents += event->type == FYET_DOCUMENT_START;
    fy_parser_event_free(parser, event);
  }
  return fy_parser_get_stream_error(parser) ? -1 : documents;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// Threads take files from a shared counter, as pushgate's engine does, so
// both parallel figures split the work the same way.
void parse_files(const std::vector<std::filesystem::path>& files, std::atomic<std::size_t>& next,
                 Totals& totals) {
  fy_parse_cfg cfg{};
  cfg.flags = FYPCF_QUIET;
  auto create = [&] {
    fy_parser* parser = fy_parser_create(&cfg);
    if (!parser) std::abort();
    return parser;
  };
  fy_parser* parser = create();
  for (std::size_t i = next++; i < files.size(); i = next++) {
    std::string text = read_all(files[i]);
    totals.bytes += text.size();
    long documents = parse(parser, text);
    if (documents >= 0) {
      totals.documents += static_cast<std::size_t>(documents);
      continue;
    }
    ++totals.failures;
    fy_parser_destroy(parser);
    parser = create();
  }
  fy_parser_destroy(parser);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "-j")) {
    std::cerr << "usage: bare_parse DIR [-j N]\n";
    return 2;
  }
  unsigned threads = argc == 4 ? static_cast<unsigned>(std::max(1, std::atoi(argv[3]))) : 1;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1]))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());

  Totals totals;
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back(parse_files, std::cref(files), std::ref(next), std::ref(totals));
  for (auto& t : pool) t.join();

  std::printf("files=%zu documents=%zu bytes=%zu failures=%zu\n", files.size(),
              totals.documents.load(), totals.bytes.load(), totals.failures.load());
  return totals.failures ? 1 : 0;
}
