#include "validators/secrets/secret_scan.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iterator>

#include "core/config/config_reader.hpp"
#include "core/git/git.hpp"
#include "core/util/parallel_for.hpp"
#include "validators/secrets/commit_changes.hpp"

namespace pushgate::secrets {

namespace fs = std::filesystem;

namespace {

// Abbreviated as git log --oneline does by default.
constexpr std::size_t k_short_id = 10;

void scan_file(const fs::path& file, const SecretCheck& check, SecretReport& report) {
  std::error_code ec;
  std::uintmax_t size = fs::file_size(file, ec);
  std::string path = file.lexically_normal().generic_string();
  if (!ec && size > check.max_file_size()) return check.too_large(path, size, "", report);
  auto text = read_file(file.string());
  if (!text) throw Failure(text.error());
  check.check(path, *text, nullptr, "", report);
}

}  // namespace

Expected<SecretReport> scan_commits(git_repository* repo, const std::vector<git_oid>& commits,
                                    const SecretCheck& check) {
  SecretReport report;
  for (const git_oid& id : commits) {
    std::string name = git::to_hex(id).substr(0, k_short_id);
    auto files = changed_files(repo, id, check.max_file_size());
    if (!files) return files.error();
    for (const ChangedFile& f : *files) {
      if (f.size > check.max_file_size()) {
        check.too_large(f.path, f.size, name, report);
        continue;
      }
      git_blob* raw = nullptr;
      if (git_blob_lookup(&raw, repo, &f.blob) < 0)
        return git::git_failure(fmt::format("commit {}: cannot read '{}'", name, f.path));
      git::BlobPtr blob(raw);
      std::string_view text(static_cast<const char*>(git_blob_rawcontent(raw)), git_blob_rawsize(raw));
      check.check(f.path, text, f.whole ? nullptr : &f.added, name, report);
    }
    ++report.commits;
  }
  return report;
}

Expected<SecretReport> scan_files(const std::vector<std::string>& paths, const SecretCheck& check,
                                  std::size_t threads) {
  std::vector<fs::path> files;
  for (const std::string& arg : paths) {
    std::error_code ec;
    if (!fs::is_directory(arg, ec)) {
      files.emplace_back(arg);
      continue;
    }
    fs::recursive_directory_iterator it(arg, ec), end;
    if (ec) return Error{ErrorCode::io, fmt::format("cannot read folder '{}': {}", arg, ec.message())};
    for (; it != end; it.increment(ec)) {
      if (ec) return Error{ErrorCode::io, fmt::format("cannot read folder '{}': {}", arg, ec.message())};
      if (it->is_directory() && it->path().filename() == ".git") it.disable_recursion_pending();
      else if (it->is_regular_file() && !it->is_symlink()) files.push_back(it->path());
    }
  }
  std::vector<SecretReport> each(files.size());
  try {
    parallel_for(files.size(), threads, [&](std::size_t i) {
      scan_file(files[i], check, each[i]);
      return true;
    });
  } catch (const Failure& e) {
    return Error{e.code(), e.what()};
  }
  SecretReport report;
  for (SecretReport& r : each) {
    std::move(r.findings.begin(), r.findings.end(), std::back_inserter(report.findings));
    std::move(r.exempted.begin(), r.exempted.end(), std::back_inserter(report.exempted));
    std::move(r.skipped.begin(), r.skipped.end(), std::back_inserter(report.skipped));
    report.files += r.files;
    report.bytes += r.bytes;
    report.errors += r.errors;
    report.warnings += r.warnings;
  }
  return report;
}

}  // namespace pushgate::secrets
