#include "deployers/kubernetes/manifest_objects.hpp"

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <sstream>

namespace pushgate::kubernetes {

using nlohmann::json;

namespace {

bool has_string(const json& object, const char* key) { return object.contains(key) && object[key].is_string(); }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Expected<std::vector<json>> parse_object_stream(std::string_view text) {
  std::vector<json> out;
  std::istringstream in{std::string(text)};
  while ((in >> std::ws).peek() != std::char_traits<char>::eof()) {
    json value;
    try {
      in >> value;
    } catch (const json::exception& e) {
      return Error{ErrorCode::input, fmt::format("kubectl's JSON output does not parse: {}", e.what())};
    }
    if (!value.is_object() || !has_string(value, "apiVersion") || !has_string(value, "kind") ||
        !value.contains("metadata") || !value["metadata"].is_object() || !has_string(value["metadata"], "name"))
      return Error{ErrorCode::input,
                   fmt::format("object {} of the release has no apiVersion, kind or metadata.name", out.size() + 1)};
    out.push_back(std::move(value));
  }
  return out;
}

bool applied_first(const json& object) {
  const std::string& kind = object["kind"].get_ref<const std::string&>();
  const std::string& api = object["apiVersion"].get_ref<const std::string&>();
  return (kind == "Namespace" && api == "v1") ||
         (kind == "CustomResourceDefinition" && api.starts_with("apiextensions.k8s.io/"));
}

std::string describe_object(const json& object) {
  const json& meta = object["metadata"];
  std::string ns = has_string(meta, "namespace") ? meta["namespace"].get<std::string>() + "/" : "";
  return fmt::format("{} {}{}", object["kind"].get<std::string>(), ns, meta["name"].get<std::string>());
}

std::string kubectl_name(const json& object) {
  const std::string& api = object["apiVersion"].get_ref<const std::string&>();
  auto slash = api.find('/');
  std::string group = slash == std::string::npos ? "" : "." + api.substr(0, slash);
  return fmt::format("{}{}/{}", lower(object["kind"].get<std::string>()), group,
                     object["metadata"]["name"].get<std::string>());
}

Expected<bool> write_object_list(const std::vector<json>& objects, const std::filesystem::path& file) {
  json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", objects}};
  std::ofstream out(file, std::ios::trunc);
  out << list.dump();
  out.close();
  if (!out) return Error{ErrorCode::io, fmt::format("cannot write {}", file.string())};
  return true;
}

}  // namespace pushgate::kubernetes
