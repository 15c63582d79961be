// The cache file: a header line, then one line per key:
//   key<TAB>count(<TAB>group<TAB>kind<TAB>namespace<TAB>name<TAB>line<TAB>column)*
// Fields escape '\', tab, newline and CR, so no value can break the layout.
// Lines are only appended; a later line for a key replaces an earlier one,
// and a malformed or unterminated line (a write cut short) is skipped.

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <optional>
#include <unordered_set>

#include "validators/object_index.hpp"

namespace pushgate {

namespace {

constexpr std::string_view k_header = "pushgate-object-cache 2\n";
constexpr std::size_t k_object_fields = 6;

void append_escaped(std::string& out, std::string_view field) {
  for (char c : field) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

std::optional<std::string> unescape(std::string_view field) {
  if (field.find('\\') == std::string_view::npos) return std::string(field);
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\') {
      out += field[i];
      continue;
    }
    if (++i == field.size()) return std::nullopt;
    switch (field[i]) {
      case '\\': out += '\\'; break;
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      default: return std::nullopt;
    }
  }
  return out;
}

template <class Int>
std::optional<Int> to_int(std::string_view text) {
  Int value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

void append_entry(std::string& out, const std::string& key, const std::vector<ObjectRef>& objects) {
  append_escaped(out, key);
  out += fmt::format("\t{}", objects.size());
  for (const ObjectRef& o : objects) {
    for (const std::string* field : {&o.group, &o.kind, &o.namespace_, &o.name}) {
      out += '\t';
      append_escaped(out, *field);
    }
    out += fmt::format("\t{}\t{}", o.line, o.column);
  }
  out += '\n';
}

// One entry line (without its newline), or nullopt when it is damaged.
std::optional<std::pair<std::string, std::vector<ObjectRef>>> parse_entry(std::string_view line) {
  std::vector<std::string_view> f;
  for (std::size_t start = 0;;) {
    std::size_t tab = line.find('\t', start);
    f.push_back(line.substr(start, tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  auto key = f.size() >= 2 ? unescape(f[0]) : std::nullopt;
  auto count = f.size() >= 2 ? to_int<std::size_t>(f[1]) : std::nullopt;
  if (!key || !count || f.size() != 2 + *count * k_object_fields) return std::nullopt;
  std::vector<ObjectRef> objects;
  objects.reserve(*count);
  for (std::size_t i = 2; i < f.size(); i += k_object_fields) {
    auto group = unescape(f[i]), kind = unescape(f[i + 1]), ns = unescape(f[i + 2]),
         name = unescape(f[i + 3]);
    auto at_line = to_int<int>(f[i + 4]), at_column = to_int<int>(f[i + 5]);
    if (!group || !kind || !ns || !name || !at_line || !at_column) return std::nullopt;
    objects.push_back({std::move(*group), std::move(*kind), std::move(*ns), std::move(*name),
                       *at_line, *at_column});
  }
  return std::pair{std::move(*key), std::move(objects)};
}

std::optional<std::string> read_whole(const std::string& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  std::string text;
  if (::fstat(fd, &st) == 0) text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  return text;
}

Expected<bool> write_all(int fd, std::string_view data, const std::string& file) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error{ErrorCode::io, fmt::format("cannot write the object cache '{}': {}", file, std::strerror(errno))};
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

ObjectCache ObjectCache::load(const std::string& file) {
  ObjectCache cache;
  auto text = read_whole(file);
  if (!text) return cache;  // none yet: the first save writes it whole
  if (!text->starts_with(k_header)) {
    cache.m_compact = true;  // not ours, or an old format: replace it
    return cache;
  }
  std::string_view rest = std::string_view(*text).substr(k_header.size());
  while (!rest.empty()) {
    std::size_t end = rest.find('\n');
    if (end == std::string_view::npos) break;  // an append cut short
    if (auto entry = parse_entry(rest.substr(0, end)))
      cache.m_entries.insert_or_assign(std::move(entry->first), std::move(entry->second));
    rest.remove_prefix(end + 1);
  }
  return cache;
}

const std::vector<ObjectRef>* ObjectCache::find(const std::string& key) const {
  auto it = m_entries.find(key);
  return it == m_entries.end() ? nullptr : &it->second;
}

void ObjectCache::put(const std::string& key, std::vector<ObjectRef> objects) {
  m_entries.insert_or_assign(key, std::move(objects));
  m_added.push_back(key);
}

void ObjectCache::retain(const std::vector<std::string>& live) {
  std::unordered_set<std::string_view> keep(live.begin(), live.end());
  if (std::erase_if(m_entries, [&](const auto& entry) { return !keep.contains(entry.first); }) > 0)
    m_compact = true;
}

Expected<bool> ObjectCache::save(const std::string& file) {
  std::error_code ec;
  std::filesystem::path target(file);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  std::string text;
  if (!m_compact) {
    for (const auto& key : m_added)
      if (auto it = m_entries.find(key); it != m_entries.end()) append_entry(text, key, it->second);
    int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd >= 0) {
      // One write: O_APPEND keeps concurrent appenders from interleaving.
      auto written = write_all(fd, text, file);
      ::close(fd);
      if (written) m_added.clear();
      return written;
    }
    text.clear();  // the file is gone: write it whole
  }
  text = k_header;
  for (const auto& [key, objects] : m_entries) append_entry(text, key, objects);

  // A name of its own per writer, so concurrent saves never share a file.
  static std::atomic<unsigned> counter{0};
  std::string temp = fmt::format("{}.tmp.{}.{}", file, ::getpid(), counter++);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return Error{ErrorCode::io, fmt::format("cannot write the object cache '{}': {}", temp, std::strerror(errno))};
  auto written = write_all(fd, text, temp);
  ::close(fd);
  if (written) std::filesystem::rename(temp, target, ec);
  if (!written || ec) {
    std::filesystem::remove(temp, ec);
    return written ? Error{ErrorCode::io, fmt::format("cannot replace the object cache '{}'", file)} : written;
  }
  m_added.clear();
  m_compact = false;
  return true;
}

}  // namespace pushgate
