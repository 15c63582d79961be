#include "cli/install_files.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "cli/hook_script.hpp"
#include "core/config/config_reader.hpp"
#include "core/util/error.hpp"
#include "core/git/git.hpp"

namespace fs = std::filesystem;

namespace pushgate::cli {

fs::path absolute_git_dir(git_repository* repo) {
  fs::path git_dir = fs::absolute(git::git_dir(repo)).lexically_normal();
  return git_dir.has_filename() ? git_dir : git_dir.parent_path();
}

bool hook_exists(const fs::path& hook) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(hook, ec));
}

bool is_ours(const fs::path& hook) {
  std::error_code ec;
  if (fs::is_symlink(hook, ec)) return fs::read_symlink(hook, ec).filename().string().starts_with("pushgate-");
  auto text = read_file(hook.string());
  return text && text->find(k_hook_marker) != std::string::npos;
}

void write_atomically(const fs::path& path, const std::string& content, fs::perms perms) {
  fs::create_directories(path.parent_path());
  fs::path temp = path;
  temp += fmt::format(".pushgate-tmp-{}", ::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) throw Failure(ErrorCode::io, fmt::format("cannot write '{}'", temp.string()));
  }
  fs::permissions(temp, perms);
  fs::rename(temp, path);
}

std::string octal_mode(fs::perms perms) {
  return fmt::format("{:04o}", static_cast<unsigned>(perms & fs::perms::mask));
}

bool remove_group_other_write(const fs::path& path) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return false;
  fs::perms before = status.permissions();
  fs::perms writable = fs::perms::group_write | fs::perms::others_write;
  if ((before & writable) == fs::perms::none) return false;
  fs::permissions(path, writable, fs::perm_options::remove, ec);
  if (ec)
    throw Failure(ErrorCode::io, fmt::format("cannot make '{}' not writable by group or others: {}",
                                             path.string(), ec.message()));
  std::cout << fmt::format("pushgate: made {} not writable by group or others (mode {} -> {})\n",
                           path.string(), octal_mode(before), octal_mode(before & ~writable));
  return true;
}

}  // namespace pushgate::cli
