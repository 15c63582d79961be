#include "hooks/pre_receive.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

#include "core/git/git.hpp"
#include "core/git/ref_update.hpp"
#include "core/config/repo_config.hpp"
#include "core/git/shared_repository.hpp"
#include "core/jobs/allowed_pushers.hpp"
#include "core/jobs/pusher.hpp"
#include "core/util/trusted_file.hpp"
#include "core/util/terminal_text.hpp"
#include "core/util/watchdog.hpp"
#include "hooks/detached_work.hpp"
#include "hooks/push_commit_checks.hpp"
#include "hooks/tree_to_read.hpp"
#include "validators/engine.hpp"
#include "validators/tree/git_tree_source.hpp"
#include "validators/report_output.hpp"
#include "validators/rule_catalog.hpp"
#include "validators/schema/schema_sources.hpp"
#include "validators/secrets/secret_allowlist.hpp"
#include "validators/tree/tree_check.hpp"
#include "validators/tree/tree_index.hpp"
#include "validators/tree/tree_index_store.hpp"

namespace pushgate {

namespace {

constexpr std::string_view k_protected_refs[] = {"refs/notes/deploy", "refs/notes/deploy-log"};

// The deploy records and everything under them. Compared without regard to
// case: refs/notes/Deploy/x is the same file as refs/notes/deploy/x on a
// case-insensitive file system, and looks like a record to anyone reading.
bool is_protected(std::string_view ref) {
  std::string lower(ref);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view name : k_protected_refs)
    if (lower.starts_with(name) && (lower.size() == name.size() || lower[name.size()] == '/')) return true;
  return false;
}

// The commit a pushed branch or tag names: annotated tags are peeled. An
// Error names the ref and the kind of object when it is no commit.
Expected<git_oid> commit_of(git_repository* repo, const std::string& hex, const std::string& ref) {
  git_oid id = git::parse_oid(hex).value();
  for (int depth = 0; depth < 16; ++depth) {
    git_object* raw = nullptr;
    git::check(git_object_lookup(&raw, repo, &id, GIT_OBJECT_ANY), fmt::format("cannot read {} of {}", hex, ref));
    git::ObjectPtr object(raw);
    git_object_t type = git_object_type(raw);
    if (type == GIT_OBJECT_COMMIT) return id;
    if (type != GIT_OBJECT_TAG) {
      return Error{ErrorCode::input, fmt::format("{} names a {}, not a commit; pushgate validates and deploys "
                                                 "commits only: tag a commit instead",
                                                 ref, git_object_type2string(type))};
    }
    id = *git_tag_target_id(reinterpret_cast<git_tag*>(raw));
  }
  return Error{ErrorCode::input, fmt::format("{} is a tag of a tag of ... more than 16 deep; tag the commit itself", ref)};
}

// The tree a new branch is compared with: where it forks from the branch HEAD
// names, so creating a branch re-checks only what differs from it. Null when
// there is no such commit (first push, unrelated history): all files count.
git::TreePtr fork_point_tree(git_repository* repo, const git_oid& new_commit) {
  git_oid head;
  if (git_reference_name_to_id(&head, repo, "HEAD") < 0) return nullptr;
  git_oid base;
  if (git_merge_base(&base, repo, &head, &new_commit) < 0) return nullptr;
  auto tree = git::tree_of_commit(repo, base);
  return tree ? std::move(tree).value() : nullptr;
}

// GitLab's web editor shows a hook's message only on lines that start with
// GL-HOOK-ERR:, so rejections made there say why too.
const char* web_prefix() {
  const char* protocol = std::getenv("GL_PROTOCOL");
  return protocol && std::string_view(protocol) == "web" ? "GL-HOOK-ERR: " : "";
}

class PreReceive {
 public:
  PreReceive(std::ostream& out, const PreReceiveOptions& options) : m_out(out), m_options(options) {}

  PreReceiveResult run(std::istream& input) {
    std::string text{std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
    auto updates = parse_ref_updates(text);
    if (!updates) return fail(PreReceiveResult::internal_error, updates.error().message);

    git::RepositoryPtr repo = git::open_from_environment();
    std::string git_dir = git::git_dir(repo.get());
    if (auto hooks = check_hooks_folder(git_dir); !hooks) {
      m_out << escape_lines(hooks.error().message) << '\n';
      return fail(PreReceiveResult::config_error,
                  "the server's hooks folder is not safe, so every push is refused until an "
                  "administrator fixes it");
    }
    auto config = load_repo_config(git_dir);
    if (config) {
      if (auto bad = check_rule_overrides(config->validate)) config = *bad;
    }
    if (!config) {
      m_out << escape_lines(config.error().message) << '\n';
      return fail(PreReceiveResult::config_error,
                  "the server's pushgate.yaml is invalid or not safe to use, so every push is "
                  "refused until an administrator fixes it");
    }
    const ValidateSettings& settings = config->validate;
    auto owner = owner_of(git_dir);
    auto allowlist = owner ? secrets::load_allowlist(settings.secrets, {*owner})
                           : Expected<std::optional<secrets::Allowlist>>(owner.error());
    if (!allowlist) {
      m_out << escape_lines(allowlist.error().message) << '\n';
      return fail(PreReceiveResult::config_error,
                  "the secrets allow-list that the server's pushgate.yaml names (validate.secrets.allowlist) "
                  "cannot be used, so every push is refused until an administrator fixes it");
    }
    // The engine stops starting work at the budget; the watchdog ends the
    // process shortly after if a single file overruns it.
    auto deadline = std::chrono::steady_clock::now() + settings.time_budget;
    Watchdog watchdog(settings.time_budget + std::chrono::seconds(1), [&settings] {
      std::string message = fmt::format(
          "error: pushgate: the time budget of {} ms (validate.time_budget) ran out; push "
          "rejected. Push fewer changes at once, or ask the administrator to raise it.\n",
          settings.time_budget.count());
      [[maybe_unused]] auto n = ::write(STDERR_FILENO, message.data(), message.size());
      ::_exit(static_cast<int>(PreReceiveResult::internal_error));
    });

    // Branches and tags: a tag is deployable by name as much as a branch is.
    std::vector<PushedRef> pushed;
    std::string pusher = pusher_identity(m_options.identity_from);
    std::vector<git_oid> tips;  // of every ref the push moves: all of them land in the history
    for (const auto& u : *updates) {
      if (auto refused = refusal(*config, u, pusher)) {
        m_out << escape_control(fmt::format("{}: error: [push.not-allowed] {}", u.ref, *refused)) << '\n';
        ++m_errors;
      } else if (is_protected(u.ref)) {
        m_out << escape_control(fmt::format("{}: error: [push.protected-ref] deploy records are written by the "
                                            "server only; do not push to refs/notes/deploy* (in any case)",
                                            u.ref))
              << '\n';
        ++m_errors;
      } else if ((u.is_branch() || u.is_tag()) && u.change() != RefChange::remove) {
        auto commit = commit_of(repo.get(), u.new_oid, u.ref);
        if (!commit) {
          m_out << escape_control(fmt::format("{}: error: [push.tag] {}", u.ref, commit.error().message)) << '\n';
          ++m_errors;
          continue;
        }
        // An old value that is no commit (a tag of a tree) counts as creation.
        std::optional<git_oid> old;
        if (u.change() == RefChange::update)
          if (auto o = commit_of(repo.get(), u.old_oid, u.ref)) old = *o;
        pushed.push_back({&u, *commit, old});
        tips.push_back(*commit);
      } else if (u.change() != RefChange::remove) {
        if (auto commit = commit_of(repo.get(), u.new_oid, u.ref)) tips.push_back(*commit);
      }
    }

    // The commits' checks (signatures, secrets) share nothing with the
    // trees' or each other's but the object database: each runs beside the
    // trees' on a repository handle of its own, and their lines are printed
    // after the trees', signatures first.
    CommitCheck signatures([&](std::ostream& out, FindingCounts& counts) {
      git::RepositoryPtr own = git::open_from_environment();
      return check_pushed_signatures(own.get(), git_dir, *config, pushed, out, counts);
    });
    CommitCheck secrets([&](std::ostream& out, FindingCounts& counts) {
      git::RepositoryPtr own = git::open_from_environment();
      return check_pushed_secrets(own.get(), tips, settings, allowlist->has_value() ? &**allowlist : nullptr, out,
                                  counts);
    });

    // Only the trees' checks use the schemas: loaded while the commits'
    // checks run.
    auto schemas = schema::load_repository_schemas(settings, git_dir);
    if (!schemas) {
      m_out << escape_lines(schemas.error().message) << '\n';
      return fail(PreReceiveResult::config_error,
                  "the schemas that the server's pushgate.yaml names (validate.schemas) cannot be used, so "
                  "every push is refused until an administrator fixes them");
    }
    // With an invalid core.sharedRepository the saved indexes follow the
    // umask: they are a cache, never worth refusing a push for.
    auto shared = SharedRepository::of(repo.get());
    m_store.emplace(git_dir, index_fingerprint(settings), shared ? *shared : SharedRepository());
    Engine engine(settings, schemas->set);
    PathFilter filter(settings.include, settings.exclude);
    std::size_t files = 0;
    bool timed_out = false;
    for (const PushedRef& p : pushed) {
      if (pushed.size() > 1) m_out << "pushgate: checking " << escape_control(p.update->ref) << '\n';
      Report report = check_commit(repo.get(), p, engine, filter, *m_store, deadline);
      print_findings(report, settings.max_findings, m_out);
      files += report.files_checked;
      m_errors += report.errors;
      m_warnings += report.warnings;
      m_notes += report.notes;
      timed_out |= report.timed_out;
    }
    FindingCounts commit_findings;
    std::optional<PushRefusal> refused = signatures.finish(m_out, commit_findings);
    if (!refused) refused = secrets.finish(m_out, commit_findings);
    if (refused) return fail(refused->result, refused->why);
    m_errors += commit_findings.errors;
    m_warnings += commit_findings.warnings;
    if (timed_out) {
      return fail(PreReceiveResult::internal_error,
                  fmt::format("the time budget of {} ms (validate.time_budget) ran out before all "
                              "manifests were checked. Push fewer changes at once, or ask the "
                              "administrator to raise it",
                              settings.time_budget.count()));
    }
    std::string counts = fmt::format("{} error{}, {} warning{} in {} manifest{}", m_errors,
                                     m_errors == 1 ? "" : "s", m_warnings, m_warnings == 1 ? "" : "s",
                                     files, files == 1 ? "" : "s") +
                         exempted_suffix(m_notes);
    if (m_errors > 0) {
      m_out << fmt::format("{}error: pushgate: push rejected: {}. Fix them and push again "
                           "(`pushgate validate` runs the same checks locally).\n",
                           web_prefix(), counts);
      return PreReceiveResult::rejected;
    }
    if (!pushed.empty()) m_out << fmt::format("pushgate: push accepted: {}\n", counts);
    return PreReceiveResult::accepted;
  }

  // Saves the indexes of the trees that passed: a cache for later pushes.
  void save_indexes() const {
    for (const IndexToSave& s : m_to_save) m_store->save(s.tree, s.objects);
  }
  bool has_indexes_to_save() const { return !m_to_save.empty(); }

  PreReceiveResult fail(PreReceiveResult result, const std::string& why) {
    // `why` may quote a pushed path (a git error while reading the tree).
    m_out << web_prefix() << "error: pushgate: push rejected: " << escape_control(why) << '\n';
    return result;
  }

 private:
  // Why `pusher` may not make update `u`: it moves (or deletes) the branch of
  // an environment whose allowed_pushers does not name them.
  static std::optional<std::string> refusal(const RepoConfig& config, const RefUpdate& u, const std::string& pusher) {
    if (!u.is_branch()) return std::nullopt;
    for (const Environment& env : config.environments)
      if (env.branch == u.branch())
        if (auto refused = pusher_refusal(env, pusher, fmt::format("push to {}", env.branch))) return refused;
    return std::nullopt;
  }

  // Validates the files the update changes, and the cross-file checks over
  // its whole tree; saves the tree's index when the commit passes.
  Report check_commit(git_repository* repo, const PushedRef& p, const Engine& engine, const PathFilter& filter,
                      const TreeIndexStore& store, std::chrono::steady_clock::time_point deadline) {
    git::TreePtr new_tree = git::tree_of_commit(repo, p.commit).value();
    git::TreePtr old_tree = p.old_commit ? git::tree_of_commit(repo, *p.old_commit).value()
                                         : fork_point_tree(repo, p.commit);
    TreeToRead plan = plan_tree_read(repo, old_tree.get(), new_tree.get(), store, filter);
    GitTreeSource source(repo, std::move(plan.to_read));
    EngineOptions options;
    options.threads = std::max(1u, std::thread::hardware_concurrency());
    options.deadline = deadline;
    options.rest = plan.rest.get();
    Report report = engine.run(source, &plan.changed, options);
    // A pushed CRD can make custom resources in files the push did not
    // touch invalid: the whole tree is checked against it.
    if (report.crds_checked > 0 && report.files_checked < report.files_indexed) {
      report = check_tree(repo, new_tree.get(), filter, engine, options);
    }
    if (report.errors == 0 && !report.timed_out && report.objects.complete())
      m_to_save.push_back({*git_tree_id(new_tree.get()), std::move(plan.rest), std::move(report.objects)});
    return report;
  }

  struct IndexToSave {
    git_oid tree;
    std::unique_ptr<TreeIndex> rest;  // what `objects` points at
    ObjectIndex objects;
  };

  std::ostream& m_out;
  const PreReceiveOptions& m_options;
  std::size_t m_errors = 0;
  std::size_t m_warnings = 0;
  std::size_t m_notes = 0;
  std::optional<TreeIndexStore> m_store;
  std::vector<IndexToSave> m_to_save;
};

}  // namespace

PreReceiveResult run_pre_receive(std::istream& input, std::ostream& out, const PreReceiveOptions& options) {
  PreReceive hook(out, options);
  PreReceiveResult result;
  try {
    result = hook.run(input);
  } catch (const std::exception& e) {
    result = hook.fail(PreReceiveResult::internal_error,
                       fmt::format("pushgate could not check this push: {}", e.what()));
  }
  // Only this thread is left: the checks' threads have ended with run().
  if (options.end == HookEnd::exit_process) {
    // Writing an index takes as long as checking a small push: git need
    // not wait for it.
    std::function<void()> save;
    if (hook.has_indexes_to_save()) save = [&hook] { hook.save_indexes(); };
    exit_then_run(static_cast<int>(result), save);
  }
  hook.save_indexes();
  return result;
}

}  // namespace pushgate
