// The cache file: a header line, then per key a line `key<TAB>count` and
// `count` object lines `group<TAB>kind<TAB>namespace<TAB>name<TAB>line<TAB>column`,
// then `end<TAB>keys`. Fields escape '\', tab, newline and CR, so no value
// can break the layout; anything unexpected makes the whole cache empty.

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_set>

#include "validators/object_index.hpp"

namespace pushgate {

namespace {

constexpr std::string_view k_header = "pushgate-object-cache 1";

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

// Reads one line at a time, split at tabs.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : m_text(text) {}

  // The fields of the next line, or nullopt at the end of the text.
  std::optional<std::vector<std::string_view>> next() {
    if (m_at >= m_text.size()) return std::nullopt;
    std::size_t end = m_text.find('\n', m_at);
    if (end == std::string_view::npos) end = m_text.size();
    std::string_view line = m_text.substr(m_at, end - m_at);
    m_at = end + 1;
    std::vector<std::string_view> fields;
    for (std::size_t start = 0;;) {
      std::size_t tab = line.find('\t', start);
      fields.push_back(line.substr(start, tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    return fields;
  }

 private:
  std::string_view m_text;
  std::size_t m_at = 0;
};

std::optional<ObjectRef> parse_object(const std::vector<std::string_view>& f) {
  if (f.size() != 6) return std::nullopt;
  auto group = unescape(f[0]), kind = unescape(f[1]), ns = unescape(f[2]), name = unescape(f[3]);
  auto line = to_int<int>(f[4]), column = to_int<int>(f[5]);
  if (!group || !kind || !ns || !name || !line || !column) return std::nullopt;
  return ObjectRef{std::move(*group), std::move(*kind), std::move(*ns), std::move(*name), *line, *column};
}

// The entries of cache text, or nullopt when it is not a whole cache file.
std::optional<std::unordered_map<std::string, std::vector<ObjectRef>>> parse(std::string_view text) {
  LineReader reader(text);
  auto header = reader.next();
  if (!header || header->size() != 1 || (*header)[0] != k_header) return std::nullopt;
  std::unordered_map<std::string, std::vector<ObjectRef>> entries;
  while (auto fields = reader.next()) {
    if (fields->size() == 2 && (*fields)[0] == "end") {
      auto keys = to_int<std::size_t>((*fields)[1]);
      if (!keys || *keys != entries.size() || reader.next()) return std::nullopt;
      return entries;
    }
    if (fields->size() != 2) return std::nullopt;
    auto key = unescape((*fields)[0]);
    auto count = to_int<std::size_t>((*fields)[1]);
    if (!key || !count) return std::nullopt;
    std::vector<ObjectRef> objects;
    for (std::size_t i = 0; i < *count; ++i) {
      auto line = reader.next();
      auto object = line ? parse_object(*line) : std::nullopt;
      if (!object) return std::nullopt;
      objects.push_back(std::move(*object));
    }
    entries[std::move(*key)] = std::move(objects);
  }
  return std::nullopt;  // no end line: the file was cut short
}

}  // namespace

ObjectCache ObjectCache::load(const std::string& file) {
  ObjectCache cache;
  std::ifstream in(file, std::ios::binary);
  if (!in) return cache;
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return cache;
  if (auto entries = parse(text.view())) cache.m_entries = std::move(*entries);
  return cache;
}

const std::vector<ObjectRef>* ObjectCache::find(const std::string& key) const {
  auto it = m_entries.find(key);
  return it == m_entries.end() ? nullptr : &it->second;
}

void ObjectCache::put(const std::string& key, std::vector<ObjectRef> objects) {
  m_entries[key] = std::move(objects);
  m_dirty = true;
}

void ObjectCache::retain(const std::vector<std::string>& live) {
  std::unordered_set<std::string_view> keep(live.begin(), live.end());
  std::size_t erased = std::erase_if(m_entries, [&](const auto& entry) { return !keep.contains(entry.first); });
  if (erased > 0) m_dirty = true;
}

Expected<bool> ObjectCache::save(const std::string& file) const {
  std::vector<const std::string*> keys;
  keys.reserve(m_entries.size());
  for (const auto& entry : m_entries) keys.push_back(&entry.first);
  std::sort(keys.begin(), keys.end(), [](auto* a, auto* b) { return *a < *b; });

  std::string text(k_header);
  text += '\n';
  for (const std::string* key : keys) {
    const auto& objects = m_entries.at(*key);
    append_escaped(text, *key);
    text += fmt::format("\t{}\n", objects.size());
    for (const ObjectRef& o : objects) {
      for (const std::string* field : {&o.group, &o.kind, &o.namespace_, &o.name}) {
        append_escaped(text, *field);
        text += '\t';
      }
      text += fmt::format("{}\t{}\n", o.line, o.column);
    }
  }
  text += fmt::format("end\t{}\n", keys.size());

  // A name of its own per writer, so concurrent saves never share a file.
  static std::atomic<unsigned> counter{0};
  std::filesystem::path target(file);
  std::string temp = fmt::format("{}.tmp.{}.{}", file, ::getpid(), counter++);
  std::error_code ec;
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(temp, ec);
      return Error{ErrorCode::io, fmt::format("cannot write the object cache '{}'", temp)};
    }
  }
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    std::string why = ec.message();
    std::filesystem::remove(temp, ec);
    return Error{ErrorCode::io, fmt::format("cannot replace the object cache '{}': {}", file, why)};
  }
  return true;
}

}  // namespace pushgate
