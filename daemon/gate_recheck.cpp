#include "daemon/gate_recheck.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>

#include "core/util/finding.hpp"
#include "core/git/git.hpp"
#include "core/jobs/job.hpp"
#include "core/util/terminal_text.hpp"
#include "validators/schema/schema_sources.hpp"
#include "validators/tree/tree_check.hpp"

namespace pushgate::daemon {

namespace {

bool writable_by_others(const std::filesystem::path& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
}

}  // namespace

bool hooks_bypassable(const std::string& git_dir) {
  std::filesystem::path dir(git_dir);
  return writable_by_others(dir) || writable_by_others(dir / "config");
}

std::optional<std::string> recheck_commit(git_repository* repo, const std::string& commit,
                                          const ValidateSettings& settings) {
  auto oid = git::parse_oid(commit);
  if (!oid) return oid.error().message;
  auto tree = git::tree_of_commit(repo, *oid);
  if (!tree) return tree.error().message;
  EngineOptions options;
  options.threads = 1;  // pushgated's workers already run side by side
  options.deadline = std::chrono::steady_clock::now() + settings.time_budget;
  auto schemas = schema::load_repository_schemas(settings, git::git_dir(repo));
  if (!schemas) return fmt::format("the schemas of validate.schemas cannot be used: {}", schemas.error().message);
  Report report = check_tree(repo, tree->get(), settings, schemas->set, options);
  if (report.timed_out)
    return fmt::format("checking {} took longer than validate.time_budget ({} ms)", abbreviate(commit),
                       settings.time_budget.count());
  if (report.errors == 0) return std::nullopt;
  const Finding* first = nullptr;
  for (const Finding& f : report.findings)
    if (f.severity == Severity::error) {
      first = &f;
      break;
    }
  return fmt::format("{} does not pass pushgate's checks ({} error{}{}{}), so it did not come through the gate",
                     abbreviate(commit), report.errors, report.errors == 1 ? "" : "s",
                     first ? "; first: " : "", first ? escape_control(format_finding(*first)) : "");
}

}  // namespace pushgate::daemon
