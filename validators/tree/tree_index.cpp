// The saved form, all integers as 32-bit values in the machine's byte order
// (the file never leaves the server that wrote it):
//   "pushgate-tree-index 6\n" u32 n fingerprint[n] u32 files u32 objects (of all files)
//   per file, by path:   u32 n path[n] u32 objects (the top bit set for a symbolic link)
//   per object:          u32 line u32 column u32 n identity[n] u32 n pod_labels[n] (n all ones: runs no pods)
//   u64 checksum of all the bytes before it
// The checksum matters: damage that keeps every length and the path order
// would otherwise be trusted, and each new index copies the old one's files.

#include "validators/tree/tree_index.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/util/version.hpp"
#include "validators/k8s/object_index.hpp"

namespace pushgate {

namespace {

constexpr std::string_view k_magic = "pushgate-tree-index 6\n";
constexpr std::uint32_t k_no_pods = 0xFFFF'FFFFu;
constexpr std::uint32_t k_link_bit = 0x8000'0000u;

// Four independent lanes of eight bytes, so checking a large index costs
// next to nothing (the lanes' multiplications overlap); it detects damage,
// it is no defence against forgery (only the server's own user can write
// the file).
std::uint64_t checksum(std::string_view bytes) {
  constexpr std::uint64_t k_multiplier = 0x9E3779B97F4A7C15ull;
  auto mix = [](std::uint64_t h, std::uint64_t word) {
    h = (h ^ word) * k_multiplier;
    return h ^ (h >> 29);
  };
  // Four variables, not an array: GCC keeps an array's lanes in memory.
  std::uint64_t a = bytes.size(), b = 1, c = 2, d = 3;
  std::size_t i = 0;
  for (; i + 32 <= bytes.size(); i += 32) {
    std::uint64_t words[4];
    std::memcpy(words, bytes.data() + i, sizeof words);
    a = mix(a, words[0]);
    b = mix(b, words[1]);
    c = mix(c, words[2]);
    d = mix(d, words[3]);
  }
  std::uint64_t h = mix(mix(mix(mix(bytes.size() * k_multiplier, a), b), c), d);
  for (; i < bytes.size(); ++i) h = mix(h, static_cast<unsigned char>(bytes[i]));
  return h;
}

void put_u32(std::string& out, std::size_t value) {
  auto v = static_cast<std::uint32_t>(value);
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void put_text(std::string& out, std::string_view text) {
  put_u32(out, text.size());
  out.append(text);
}

// Reads from the saved bytes; any read past the end marks the reader bad.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : m_rest(bytes) {}
  std::uint32_t u32() {
    std::uint32_t v = 0;
    if (m_rest.size() < sizeof v) return fail();
    std::memcpy(&v, m_rest.data(), sizeof v);
    m_rest.remove_prefix(sizeof v);
    return v;
  }
  // The next u32, without reading past it.
  std::uint32_t peek_u32() const {
    std::uint32_t v = 0;
    if (m_rest.size() >= sizeof v) std::memcpy(&v, m_rest.data(), sizeof v);
    return v;
  }
  std::string_view text() {
    std::uint32_t n = u32();
    if (m_rest.size() < n) return fail(), std::string_view();
    std::string_view t = m_rest.substr(0, n);
    m_rest.remove_prefix(n);
    return t;
  }
  bool skip(std::string_view expected) {
    if (!m_rest.starts_with(expected)) return fail(), false;
    m_rest.remove_prefix(expected.size());
    return true;
  }
  std::size_t left() const { return m_rest.size(); }
  const char* position() const { return m_rest.data(); }
  bool good() const { return m_good; }

 private:
  std::uint32_t fail() {
    m_good = false;
    m_rest = {};
    return 0;
  }
  std::string_view m_rest;
  bool m_good = true;
};

void put_file(std::string& out, std::string_view path, std::size_t objects, bool link) {
  put_text(out, path);
  put_u32(out, objects | (link ? k_link_bit : 0));
}

void put_object(std::string& out, std::string_view identity, int line, int column, const std::string_view* pod_labels) {
  put_u32(out, static_cast<std::size_t>(line));
  put_u32(out, static_cast<std::size_t>(column));
  put_text(out, identity);
  if (pod_labels) put_text(out, *pod_labels);
  else put_u32(out, k_no_pods);
}

}  // namespace

std::optional<TreeIndex> TreeIndex::parse(std::vector<char> bytes, std::string_view fingerprint) {
  TreeIndex index;
  index.m_bytes = std::string_view(bytes.data(), bytes.size());
  index.m_storage = std::move(bytes);
  return parse_bytes(std::move(index), fingerprint);
}

std::optional<TreeIndex> TreeIndex::parse(MappedFile file, std::string_view fingerprint) {
  TreeIndex index;
  index.m_bytes = file.bytes();
  index.m_storage = std::move(file);
  return parse_bytes(std::move(index), fingerprint);
}

std::optional<TreeIndex> TreeIndex::parse_bytes(TreeIndex index, std::string_view fingerprint) {
  std::string_view all = index.m_bytes;
  std::uint64_t stored = 0;
  if (all.size() < sizeof stored) return std::nullopt;
  std::memcpy(&stored, all.data() + all.size() - sizeof stored, sizeof stored);
  all.remove_suffix(sizeof stored);
  if (stored != checksum(all)) return std::nullopt;
  Reader in(all);
  if (!in.skip(k_magic) || in.text() != fingerprint) return std::nullopt;
  std::uint32_t files = in.u32();
  std::uint32_t objects = in.u32();
  // Each file takes at least 8 bytes, each object 16: a damaged count must
  // not reserve gigabytes.
  if (!in.good() || files > in.left() / 8 || objects > in.left() / 16) return std::nullopt;
  index.m_files.reserve(files);
  index.m_objects.reserve(objects);
  for (std::uint32_t f = 0; f < files && in.good(); ++f) {
    File file;
    const char* start = in.position();
    file.path = in.text();
    std::uint32_t count = in.u32();
    file.count = count & ~k_link_bit;
    file.link = (count & k_link_bit) != 0;
    file.first = index.m_objects.size();
    if (!index.m_files.empty() && !(index.m_files.back().path < file.path)) return std::nullopt;
    for (std::size_t o = 0; o < file.count && in.good(); ++o) {
      Object object;
      object.line = static_cast<int>(in.u32());
      object.column = static_cast<int>(in.u32());
      object.identity = in.text();
      object.runs_pods = in.peek_u32() != k_no_pods;
      if (object.runs_pods) object.pod_labels = in.text();
      else in.u32();
      index.m_objects.push_back(object);
    }
    if (in.good()) file.record = std::string_view(start, static_cast<std::size_t>(in.position() - start));
    index.m_files.push_back(file);
  }
  if (!in.good() || in.left() != 0 || index.m_objects.size() != objects) return std::nullopt;
  return index;
}

std::string TreeIndex::serialize(std::string_view fingerprint, const ObjectIndex& index) {
  const TreeIndex* rest = index.rest();
  // Saved on every push: one allocation for what the rest already holds
  // and a guess for the files read again, instead of growing step by step;
  // the rest's files are copied as the bytes they were read from.
  std::string out;
  out.reserve((rest ? rest->m_bytes.size() : 0) + index.files().size() * 256 + 1024);
  out.append(k_magic);
  put_text(out, fingerprint);
  put_u32(out, index.file_count());
  std::size_t object_count = 0;
  for (const auto& [path, refs] : index.files()) object_count += refs.size();
  if (rest)
    for (const File& file : rest->files()) object_count += file.count;
  put_u32(out, object_count);
  // Both parts are sorted by path and do not overlap: merge them.
  static const std::vector<File> k_none;
  const std::vector<File>& old_files = rest ? rest->files() : k_none;
  auto old_file = old_files.begin();
  auto put_old_until = [&](const std::string* path) {
    for (; old_file != old_files.end() && (!path || old_file->path < *path); ++old_file) out.append(old_file->record);
  };
  for (const auto& [path, objects] : index.files()) {
    put_old_until(&path);
    put_file(out, path, objects.size(), index.is_link(path));
    for (const ObjectRef& o : objects) {
      std::string_view labels = o.pod_labels ? std::string_view(*o.pod_labels) : std::string_view();
      put_object(out, identity_of(o), o.line, o.column, o.pod_labels ? &labels : nullptr);
    }
  }
  put_old_until(nullptr);
  std::uint64_t sum = checksum(out);
  out.append(reinterpret_cast<const char*>(&sum), sizeof sum);
  return out;
}

std::vector<std::string> TreeIndex::links() const {
  std::vector<std::string> out;
  for (const File& file : m_files)
    if (file.link) out.emplace_back(file.path);
  return out;
}

std::vector<std::string> TreeIndex::crd_files() const {
  // identity_of(): group, kind, namespace and name joined by NUL.
  constexpr std::string_view crd("apiextensions.k8s.io\0CustomResourceDefinition\0", 46);
  std::vector<std::string> out;
  for (const File& file : m_files) {
    auto objects = this->objects(file);
    if (std::any_of(objects.begin(), objects.end(), [&](const Object& o) { return o.identity.starts_with(crd); }))
      out.emplace_back(file.path);
  }
  return out;
}

void TreeIndex::erase(std::vector<std::string> paths) {
  if (paths.empty()) return;
  std::sort(paths.begin(), paths.end());
  // One pass over both sorted lists. `folders` holds the listed folders that
  // may contain the current file: a folder sorts just before its contents,
  // and a file past its contents can never be in it again.
  std::size_t next = 0;
  std::vector<std::string_view> folders;
  std::erase_if(m_files, [&](const File& file) {
    bool listed = false;
    for (; next < paths.size() && std::string_view(paths[next]) <= file.path; ++next) {
      if (paths[next] == file.path) listed = true;
      else if (paths[next].ends_with('/')) folders.push_back(paths[next]);
    }
    while (!folders.empty() && !file.path.starts_with(folders.back())) folders.pop_back();
    return listed || !folders.empty();
  });
}

std::string index_fingerprint(const ValidateSettings& s) {
  return fmt::format("pushgate {}\ninclude {}\nexclude {}\nfile_size {}\ndepth {}\naliases {}\ndocuments {}",
                     k_pushgate_version, fmt::join(s.include, "\t"), fmt::join(s.exclude, "\t"), s.file_size,
                     s.limits.depth, s.limits.alias_expansions, s.limits.documents);
}

}  // namespace pushgate
