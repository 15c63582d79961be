// `pushgate validate [PATH...] | --rev REV`: the hook's checks, run locally.

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/command.hpp"
#include "core/config/config_reader.hpp"
#include "core/git/git.hpp"
#include "core/config/repo_config.hpp"
#include "validators/tree/directory_source.hpp"
#include "validators/engine.hpp"
#include "validators/report_output.hpp"
#include "validators/rule_catalog.hpp"
#include "validators/sarif_output.hpp"
#include "validators/schema/schema_sources.hpp"
#include "validators/tree/tree_check.hpp"

namespace pushgate::cli {

namespace {

struct ValidateArgs {
  std::vector<std::string> paths;
  std::string rev;
  std::string repo = ".";
  std::string config;
  std::string format = "text";
  unsigned jobs = 0;
};

// --config FILE; else, with --rev in a server repository, its pushgate.yaml;
// else the defaults.
RepoConfig settings_for(const ValidateArgs& args, git_repository* repo) {
  if (!args.config.empty()) {
    auto text = read_file(args.config);
    if (!text) throw Failure(ErrorCode::usage, text.error().message);
    return parse_repo_config(*text, args.config).value();
  }
  if (repo) return load_repo_config(git::git_dir(repo)).value();
  return RepoConfig{};
}

// The schemas `config` names, with their cache beside the config file.
std::shared_ptr<const schema::SchemaSet> schemas_for(const ValidateArgs& args, git_repository* repo,
                                                     const RepoConfig& config) {
  Expected<schema::LoadedSchemas> loaded =
      !args.config.empty()
          ? schema::load_schemas(config.validate,
                                 std::filesystem::path(args.config).replace_filename(schema::k_schema_cache_name), {})
      : repo ? schema::load_repository_schemas(config.validate, git::git_dir(repo))
             : schema::LoadedSchemas{};
  if (!loaded) throw Failure(loaded.error());
  if (loaded->compiled)
    std::cerr << fmt::format("pushgate: compiled the schemas of {} file{}{}\n", loaded->files.size(),
                             loaded->files.size() == 1 ? "" : "s",
                             loaded->cache_written ? "" : " (the cache beside the config could not be saved)");
  return loaded->set;
}

ExitCode run_validate(const ValidateArgs& args) {
  if (!args.rev.empty() && !args.paths.empty())
    throw Failure(ErrorCode::usage, "give either PATH... or --rev REV, not both");
  git::RepositoryPtr repo;
  git::TreePtr tree;
  if (!args.rev.empty()) {
    git_repository* raw = nullptr;
    git::check(git_repository_open_ext(&raw, args.repo.c_str(), 0, nullptr),
               fmt::format("no git repository at or above '{}'", args.repo));
    repo.reset(raw);
    auto resolved = git::tree_of_revision(repo.get(), args.rev);
    if (!resolved) throw Failure(ErrorCode::usage, resolved.error().message);
    tree = std::move(resolved).value();
  }
  RepoConfig config = settings_for(args, repo.get());
  if (auto bad = check_rule_overrides(config.validate)) throw Failure(*bad);
  auto schemas = schemas_for(args, repo.get(), config);
  EngineOptions options;
  options.threads = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  Report report;
  if (tree) {
    report = check_tree(repo.get(), tree.get(), config.validate, schemas, options);
  } else {
    PathFilter filter(config.validate.include, config.validate.exclude);
    DirectorySource source(args.paths.empty() ? std::vector<std::string>{"."} : args.paths, filter);
    report = Engine(config.validate, schemas).run(source, nullptr, options);
  }

  if (args.format == "json") {
    std::cout << report_json(report) << '\n';
  } else if (args.format == "sarif") {
    std::cout << report_sarif(report) << '\n';
  } else {
    print_findings(report, SIZE_MAX, std::cout);
    std::cout << "pushgate: " << summarize(report) << '\n';
  }
  return report.errors > 0 ? ExitCode::findings : ExitCode::ok;
}

}  // namespace

void add_validate_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Run the pre-receive hook's checks on files or a revision.\n"
      "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage or config error.");
  cmd->add_option("paths", args->paths,
                  "files (always checked) or folders (walked; validate.include/exclude apply); "
                  "default: .");
  cmd->add_option("--rev", args->rev, "check the manifests in the tree of this revision instead");
  cmd->add_option("--repo", args->repo, "repository for --rev (default: the one containing .)");
  cmd->add_option("--config", args->config,
                  "a pushgate.yaml to take validate: settings from (default: the repository's "
                  "pushgate.yaml with --rev on a server repository, else built-in defaults)");
  cmd->add_option("--format", args->format, "text, json or sarif (SARIF 2.1.0, for code scanning)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_option("-j,--jobs", args->jobs, "threads to use (default: all cores)");
  cmd->callback([args, &exit_code] { exit_code = run_validate(*args); });
}

}  // namespace pushgate::cli
