// `pushgate validate [PATH...] | --rev REV | --range A..B`: the hook's checks, run locally.

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/command.hpp"
#include "core/config/config_reader.hpp"
#include "core/git/git.hpp"
#include "core/config/repo_config.hpp"
#include "core/config/signature_config.hpp"
#include "core/git/new_commits.hpp"
#include "core/util/trusted_file.hpp"
#include "validators/commits/signature_check.hpp"
#include "validators/tree/directory_source.hpp"
#include "validators/engine.hpp"
#include "validators/report_output.hpp"
#include "validators/rule_catalog.hpp"
#include "validators/sarif_output.hpp"
#include "validators/schema/schema_sources.hpp"
#include "validators/secrets/secret_allowlist.hpp"
#include "validators/secrets/secret_output.hpp"
#include "validators/secrets/secret_scan.hpp"
#include "validators/tree/tree_check.hpp"

namespace pushgate::cli {

namespace {

struct ValidateArgs {
  std::vector<std::string> paths;
  std::string rev;
  std::string range;
  std::string ref;  // whose validate.signatures entry applies to --rev/--range
  std::string repo = ".";
  bool verbose = false;
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

// The full ref whose validate.signatures entry applies: --ref, else the
// branch or tag the revision names ("main" in main~2, "v1" in v1..main's
// end), else the branch checked out.
std::string signature_ref(const ValidateArgs& args, git_repository* repo) {
  if (!args.ref.empty())
    return args.ref.starts_with("refs/") ? args.ref : "refs/heads/" + args.ref;
  std::string rev = args.range.empty() ? args.rev : args.range.substr(args.range.find("..") + 2);
  rev = rev.substr(0, rev.find_first_of("~^@"));
  git_reference* raw = nullptr;
  if (!rev.empty() && git_reference_dwim(&raw, repo, rev.c_str()) == 0) {
    git::ReferencePtr named(raw);
    return git_reference_name(raw);
  }
  if (git_repository_head(&raw, repo) == 0) {
    git::ReferencePtr head(raw);
    return git_reference_name(raw);
  }
  return "";
}

// validate.signatures over the commits of --rev (that one) or --range; the
// key files must belong to root or the owner of the config that names them.
std::vector<Finding> check_signatures_of(const ValidateArgs& args, git_repository* repo, const RepoConfig& config) {
  std::string ref = signature_ref(args, repo);
  const SignatureRule* rule = signature_rule_for(config.validate.signatures, config.environments, ref);
  if (!rule) return {};
  auto owner = owner_of(args.config.empty() ? git::git_dir(repo) : args.config);
  if (!owner) throw Failure(owner.error());
  auto keys = SignerKeys::load(*rule, *owner);
  if (!keys) throw Failure(keys.error());
  std::string spec = args.range.empty() ? args.rev : args.range;
  auto commits = git::commits_in_range(repo, spec);
  if (!commits) throw Failure(commits.error());
  SystemProcessRunner runner;
  SignatureVerifier verifier(**keys, runner);
  std::string_view heads = "refs/heads/";
  SignatureCheck check{spec, ref.starts_with(heads) ? ref.substr(heads.size()) : ref,
                       args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency())};
  return check_signatures(repo, *commits, verifier, check, config.validate);
}

// The allow-list the config names, trusted when its owner (or root) owns it:
// the repository's for its pushgate.yaml, the --config file's otherwise.
std::optional<secrets::Allowlist> allowlist_for(const ValidateArgs& args, git_repository* repo,
                                                const RepoConfig& config) {
  if (config.validate.secrets.allowlist.empty()) return std::nullopt;
  auto owner = owner_of(args.config.empty() ? git::git_dir(repo) : args.config);
  if (!owner) throw Failure(owner.error());
  return secrets::load_allowlist(config.validate.secrets, {*owner}).value();
}

// What --rev and --range scan for secrets: the commit REV, or those of A..B.
// A REV that names a tree (contrib/pre-commit's staged tree) adds no commit.
std::vector<git_oid> commits_to_scan(const ValidateArgs& args, git_repository* repo) {
  auto commits = git::commits_in_range(repo, args.range.empty() ? args.rev : args.range);
  if (!commits && args.range.empty()) return {};
  if (!commits) throw Failure(commits.error());
  return std::move(commits).value();
}

// Where run_validate leaves its report, deliberately not freed: the process
// exits next, and giving back every finding and object of a large tree one
// by one would cost a tenth of the run. Reachable, so leak checkers do not
// count it.
const Report* released_report = nullptr;

ExitCode run_validate(const ValidateArgs& args) {
  if ((!args.rev.empty() + !args.range.empty() + !args.paths.empty()) > 1)
    throw Failure(ErrorCode::usage, "give one of PATH..., --rev REV and --range A..B");
  if (!args.range.empty() && args.range.find("..") == std::string::npos)
    throw Failure(ErrorCode::usage, fmt::format("--range '{}' is not A..B", args.range));
  git::RepositoryPtr repo;
  git::TreePtr tree;
  if (!args.rev.empty() || !args.range.empty()) {
    git_repository* raw = nullptr;
    git::check(git_repository_open_ext(&raw, args.repo.c_str(), 0, nullptr),
               fmt::format("no git repository at or above '{}'", args.repo));
    repo.reset(raw);
    // A range's manifests are those of its end, as the hook sees a push.
    std::string end = args.range.empty() ? args.rev : args.range.substr(args.range.rfind("..") + 2);
    auto resolved = git::tree_of_revision(repo.get(), end.empty() ? "HEAD" : end);
    if (!resolved) throw Failure(ErrorCode::usage, resolved.error().message);
    tree = std::move(resolved).value();
  }
  RepoConfig config = settings_for(args, repo.get());
  if (auto bad = check_rule_overrides(config.validate)) throw Failure(*bad);
  auto schemas = schemas_for(args, repo.get(), config);
  EngineOptions options;
  options.threads = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  auto allowlist = allowlist_for(args, repo.get(), config);
  secrets::SecretCheck check(config.validate, allowlist ? &*allowlist : nullptr);
  Report report;
  secrets::SecretReport found;
  if (tree) {
    report = check_tree(repo.get(), tree.get(), config.validate, schemas, options);
    for (Finding& f : check_signatures_of(args, repo.get(), config)) {
      (f.severity == Severity::error ? report.errors : report.warnings)++;
      report.findings.push_back(std::move(f));
    }
    found = secrets::scan_commits(repo.get(), commits_to_scan(args, repo.get()), check).value();
  } else {
    PathFilter filter(config.validate.include, config.validate.exclude);
    DirectorySource source(args.paths.empty() ? std::vector<std::string>{"."} : args.paths, filter,
                           DirectorySource::Unselected::keep);
    // Every text file is scanned for secrets, manifest or not, on the bytes the engine reads.
    options.secrets = &check;
    options.secrets_only = &source.unselected();
    report = Engine(config.validate, schemas).run(source, nullptr, options);
    found = std::move(report.secrets);
  }
  std::move(found.findings.begin(), found.findings.end(), std::back_inserter(report.findings));
  report.errors += found.errors;
  report.warnings += found.warnings;

  // The text output lists exempted secrets after the findings and summary.
  if (args.format != "text") add_notes(report, found.exempted);
  if (args.format == "json") {
    auto json = nlohmann::json::parse(report_json(report));
    json["secrets"] = secrets::secrets_json(found);
    std::cout << json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else if (args.format == "sarif") {
    std::cout << report_sarif(report) << '\n';
  } else {
    print_findings(report, SIZE_MAX, std::cout, options.threads);
    secrets::print_secret_notes(found, args.verbose, std::cout);
    std::cout << "pushgate: " << summarize(report) << '\n';
    std::cout << "pushgate: " << secrets::summarize_secrets(found) << '\n';
  }
  ExitCode code = report.errors > 0 ? ExitCode::findings : ExitCode::ok;
  released_report = new Report(std::move(report));
  return code;
}

}  // namespace

void add_validate_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Run the pre-receive hook's checks on files, a revision or a range of commits.\n"
      "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage or config error.");
  cmd->add_option("paths", args->paths,
                  "files (always checked) or folders (walked; validate.include/exclude apply; every file "
                  "is scanned for secrets); default: .");
  cmd->add_option("--rev", args->rev,
                  "check the manifests in the tree of this revision instead, what its commit adds for "
                  "secrets, and its signature (validate.signatures)");
  cmd->add_option("--range", args->range,
                  "A..B: check the manifests of B's tree, and every commit of the range for secrets and "
                  "signatures (validate.signatures), as the hook checks a push of B over A");
  cmd->add_option("--ref", args->ref,
                  "with --rev or --range: check signatures as for a push to this branch or ref (default: the "
                  "branch or tag the revision names, else the branch checked out)");
  cmd->add_option("--repo", args->repo, "repository for --rev and --range (default: the one containing .)");
  cmd->add_flag("-v,--verbose", args->verbose, "also list the files that were not scanned for secrets (binary)");
  cmd->add_option("--config", args->config,
                  "a pushgate.yaml to take validate: settings from (default: the repository's "
                  "pushgate.yaml with --rev on a server repository, else built-in defaults)");
  cmd->add_option("--format", args->format, "text, json or sarif (SARIF 2.1.0, for code scanning)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_option("-j,--jobs", args->jobs, "threads to use (default: all cores)");
  cmd->callback([args, &exit_code] { exit_code = run_validate(*args); });
}

}  // namespace pushgate::cli
