#include "cli/install_record.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/install_files.hpp"
#include "core/config/config_reader.hpp"
#include "core/util/trusted_file.hpp"

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace pushgate::cli {

const InstallRecord::Hook* InstallRecord::find_hook(const fs::path& path) const {
  for (const auto& h : hooks)
    if (h.path == path) return &h;
  return nullptr;
}

const InstallRecord::ConfigKey* InstallRecord::find_config(const std::string& key) const {
  for (const auto& c : config)
    if (c.key == key) return &c;
  return nullptr;
}

LayoutChoice choose_layout(const std::string& layout, const std::string& local_code, const InstallRecord* record) {
  LayoutChoice choice;
  choice.layout = parse_layout(!layout.empty() ? layout : record && !record->layout.empty() ? record->layout : "bare");
  if (choice.layout != Layout::gitolite) return choice;
  choice.local_code = !local_code.empty() ? fs::absolute(local_code) : record ? record->local_code : fs::path();
  if (choice.local_code.empty())
    throw Failure(ErrorCode::usage, "--layout gitolite needs --local-code DIR (gitolite's LOCAL_CODE)");
  return choice;
}

std::string install_command_line(const LayoutChoice& choice, const fs::path& git_dir,
                                 const std::string& daemon_config) {
  std::string command = "pushgate install";
  if (choice.layout != Layout::bare) command += fmt::format(" --layout {}", layout_name(choice.layout));
  if (!choice.local_code.empty()) command += fmt::format(" --local-code {}", choice.local_code.string());
  if (!daemon_config.empty()) command += fmt::format(" --daemon-config {}", daemon_config);
  return command + " " + git_dir.string();
}

fs::path install_record_path(const fs::path& git_dir) { return git_dir / "pushgate-install.json"; }

Expected<std::optional<InstallRecord>> load_install_record(const fs::path& git_dir) {
  fs::path file = install_record_path(git_dir);
  auto owner = owner_of(git_dir);
  if (!owner) return owner.error();
  auto read = read_trusted_file(file, {*owner});
  if (!read) return read.error();
  if (read->missing) return std::optional<InstallRecord>();
  try {
    Json json = Json::parse(read->text);
    InstallRecord record;
    record.layout = json.at("layout").get<std::string>();
    record.local_code = json.value("local_code", std::string());
    for (const auto& h : json.at("hooks"))
      record.hooks.push_back({h.at("path").get<std::string>(), h.value("kept", std::string())});
    for (const auto& c : json.at("config")) {
      std::optional<std::string> previous;
      if (!c.at("previous").is_null()) previous = c.at("previous").get<std::string>();
      record.config.push_back({c.at("key").get<std::string>(), previous, c.at("value").get<std::string>()});
    }
    record.wrote_starter_config = json.value("wrote_starter_config", false);
    return std::optional<InstallRecord>(std::move(record));
  } catch (const Json::exception& e) {
    return Error{ErrorCode::config, fmt::format("{}: not a record of `pushgate install`: {}", file.string(), e.what())};
  }
}

void save_install_record(const fs::path& git_dir, const InstallRecord& record) {
  Json hooks = Json::array();
  for (const auto& h : record.hooks) hooks.push_back({{"path", h.path.string()}, {"kept", h.kept.string()}});
  Json config = Json::array();
  for (const auto& c : record.config)
    config.push_back({{"key", c.key},
                      {"previous", c.previous ? Json(*c.previous) : Json(nullptr)},
                      {"value", c.value}});
  Json json = {{"layout", record.layout},
               {"local_code", record.local_code.string()},
               {"hooks", hooks},
               {"config", config},
               {"wrote_starter_config", record.wrote_starter_config}};
  std::string text = json.dump(2) + "\n";
  auto current = read_file(install_record_path(git_dir).string());
  if (current && *current == text) return;
  write_atomically(install_record_path(git_dir), text,
                   fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                       fs::perms::others_read);
}

}  // namespace pushgate::cli
