#pragma once
// Where in an object the schema walk is: the names of fields and the
// indexes of items, spelt out ("spec.ports[1].port") only for a message,
// while every field of every object takes a step.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pushgate::schema {

class FieldPath {
 public:
  // A step while it lives: a field's name (a view that must outlive the
  // step), or an item's index.
  class Step {
   public:
    Step(FieldPath& path, std::string_view name) : m_path(path) { path.m_steps.push_back({name, k_name}); }
    Step(FieldPath& path, std::size_t index) : m_path(path) { path.m_steps.push_back({{}, index}); }
    ~Step() { m_path.m_steps.pop_back(); }
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;

   private:
    FieldPath& m_path;
  };

  // "spec.ports[1].port"; "" at the object itself.
  std::string text() const {
    std::string out;
    for (const Entry& step : m_steps) {
      if (step.index == k_name) {
        if (!out.empty()) out += '.';
        out += step.name;
        continue;
      }
      char digits[24];
      char* end = std::to_chars(digits, digits + sizeof digits, step.index).ptr;
      out += '[';
      out.append(digits, end);
      out += ']';
    }
    return out;
  }

 private:
  static constexpr std::size_t k_name = SIZE_MAX;  // the step is a name
  struct Entry {
    std::string_view name;
    std::size_t index;
  };
  std::vector<Entry> m_steps;
};

}  // namespace pushgate::schema
