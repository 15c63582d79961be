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
  // step), or an item's index. Steps live on the walk's stack and link to
  // the one before, so taking one costs no allocation.
  class Step {
   public:
    Step(FieldPath& path, std::string_view name) : m_path(path), m_before(path.m_last), m_name(name) {
      path.m_last = this;
    }
    Step(FieldPath& path, std::size_t index) : m_path(path), m_before(path.m_last), m_index(index) {
      path.m_last = this;
    }
    ~Step() { m_path.m_last = m_before; }
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;

   private:
    friend class FieldPath;
    static constexpr std::size_t k_name = SIZE_MAX;  // the step is a name

    FieldPath& m_path;
    const Step* m_before;
    std::string_view m_name;
    std::size_t m_index = k_name;
  };

  // "spec.ports[1].port"; "" at the object itself.
  std::string text() const {
    std::vector<const Step*> steps;
    for (const Step* step = m_last; step != nullptr; step = step->m_before) steps.push_back(step);
    std::string out;
    for (auto at = steps.rbegin(); at != steps.rend(); ++at) {
      const Step& step = **at;
      if (step.m_index == Step::k_name) {
        if (!out.empty()) out += '.';
        out += step.m_name;
        continue;
      }
      char digits[24];
      char* end = std::to_chars(digits, digits + sizeof digits, step.m_index).ptr;
      out += '[';
      out.append(digits, end);
      out += ']';
    }
    return out;
  }

 private:
  const Step* m_last = nullptr;
};

}  // namespace pushgate::schema
