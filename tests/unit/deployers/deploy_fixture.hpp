#pragma once
// Helpers for deployer tests: a real temporary repository whose trees are
// written object by object (so they can hold what `git add` never would),
// a ProcessRunner fake that records what would run, and a snapshot of a
// folder to compare with a tree.

#include <git2.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/git/git.hpp"
#include "core/util/process.hpp"
#include "core/config/repo_config.hpp"
#include "deployers/deployer.hpp"
#include "tests/unit/support/temp_dir.hpp"

namespace pushgate::test {

namespace fs = std::filesystem;

// One entry of a tree object: mode as git writes it ("100644", "100755",
// "120000", "40000", "160000"), any name, and the object it names.
struct TreeEntry {
  std::string mode;
  std::string name;
  git_oid oid;
};

// A bare repository in a temporary folder.
class TestRepo {
 public:
  TestRepo() {
    git_repository* raw = nullptr;
    git::check(git_repository_init(&raw, (m_dir / "repo.git").c_str(), 1), "git init");
    m_repo.reset(raw);
  }
  git_repository* get() const { return m_repo.get(); }

  git_oid blob(std::string_view content) {
    git_oid oid;
    git::check(git_blob_create_from_buffer(&oid, get(), content.data(), content.size()), "blob");
    return oid;
  }

  // Writes the tree object byte by byte: no name is checked, entries are put
  // in git's order (a folder sorts as if its name ended in '/').
  git_oid tree(std::vector<TreeEntry> entries) {
    auto key = [](const TreeEntry& e) { return e.mode == "40000" ? e.name + "/" : e.name; };
    std::sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
    std::string raw;
    for (const auto& e : entries) {
      raw += e.mode + " " + e.name;
      raw.push_back('\0');
      raw.append(reinterpret_cast<const char*>(e.oid.id), GIT_OID_RAWSZ);
    }
    git_odb* odb = nullptr;
    git::check(git_repository_odb(&odb, get()), "odb");
    git::OdbPtr owner(odb);
    git_oid oid;
    git::check(git_odb_write(&oid, odb, raw.data(), raw.size(), GIT_OBJECT_TREE), "write tree");
    return oid;
  }

  // A tree from "path" -> content; a path ending in '*' is executable, one
  // starting with '@' is a symlink "@name" -> content.
  git_oid files(const std::map<std::string, std::string>& files) {
    std::map<std::string, std::map<std::string, std::string>> folders;
    std::vector<TreeEntry> entries;
    for (const auto& [path, content] : files) {
      auto slash = path.find('/');
      if (slash != std::string::npos) {
        folders[path.substr(0, slash)][path.substr(slash + 1)] = content;
      } else if (path.starts_with('@')) {
        entries.push_back({"120000", path.substr(1), blob(content)});
      } else if (path.ends_with('*')) {
        entries.push_back({"100755", path.substr(0, path.size() - 1), blob(content)});
      } else {
        entries.push_back({"100644", path, blob(content)});
      }
    }
    for (const auto& [name, inner] : folders) entries.push_back({"40000", name, this->files(inner)});
    return tree(entries);
  }

  // A commit of `tree` (full hex).
  std::string commit(const git_oid& tree_id, const std::string& message = "test") {
    git_tree* raw = nullptr;
    git::check(git_tree_lookup(&raw, get(), &tree_id), "tree lookup");
    git::TreePtr tree(raw);
    git_signature* sig = nullptr;
    git::check(git_signature_new(&sig, "Test", "test@example.com", 1'700'000'000 + m_commits, 0), "signature");
    git_oid oid;
    int rc = git_commit_create(&oid, get(), nullptr, sig, sig, nullptr, message.c_str(), tree.get(), 0, nullptr);
    git_signature_free(sig);
    git::check(rc, "commit");
    ++m_commits;
    return git::to_hex(oid);
  }

 private:
  git::Library m_lib;
  TempDir m_dir;
  git::RepositoryPtr m_repo;
  int m_commits = 0;
};

// Records every command instead of running it; `respond` decides how each
// one ends (exit 0 by default) and may write output lines.
class RecordingRunner : public ProcessRunner {
 public:
  std::vector<ProcessSpec> calls;
  std::function<ProcessResult(const ProcessSpec&, const LineSink&)> respond;

  ProcessResult run(const ProcessSpec& spec, const LineSink& output) override {
    calls.push_back(spec);
    if (respond) return respond(spec, output);
    ProcessResult ok;
    ok.exit_code = 0;
    return ok;
  }
  // argv[0] of every call, in order.
  std::vector<std::string> programs() const {
    std::vector<std::string> out;
    for (const auto& c : calls) out.push_back(c.argv.at(0));
    return out;
  }
};

inline ProcessResult exited(int code) {
  ProcessResult r;
  r.exit_code = code;
  return r;
}

// The value of variable `name` in `spec`, "" when unset.
inline std::string env_of(const ProcessSpec& spec, const std::string& name) {
  for (const auto& [n, v] : spec.env)
    if (n == name) return v;
  return "";
}

// Everything in `root`: "path" -> "file 644 <content>", "dir", "link <target>".
inline std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    std::string rel = it->path().lexically_relative(root).string();
    if (it->is_symlink()) {
      out[rel] = "link " + fs::read_symlink(it->path()).string();
    } else if (it->is_directory()) {
      out[rel] = "dir";
    } else {
      struct stat st {};
      ::stat(it->path().c_str(), &st);
      out[rel] = std::string((st.st_mode & S_IXUSR) ? "exec " : "file ") + slurp(it->path());
    }
  }
  return out;
}

// A `health: {command: ...}` check.
inline HealthCheck command_health(std::vector<std::string> argv, std::chrono::milliseconds timeout, int retries,
                                  std::chrono::milliseconds interval) {
  HealthCheck health;
  health.command = std::move(argv);
  health.timeout = timeout;
  health.retries = retries;
  health.interval = interval;
  return health;
}

// An environment deploying `path` of the tree with a local deployer into `dir`.
inline Environment local_environment(const fs::path& dir, const std::string& path = "") {
  Environment env;
  env.name = "production";
  env.branch = "main";
  env.path = path;
  env.deployer.type = DeployerType::local;
  env.deployer.dir = dir.string();
  return env;
}

// A deploy request as the daemon makes one.
struct Attempt {
  Job job;
  DeployRequest request;
  std::vector<std::string> log;

  Attempt(const TestRepo& repo, const Environment& env, const std::string& commit, std::uint64_t job_id,
          std::string previous = "") {
    job.id = job_id;
    job.repo = "/srv/git/app.git";
    job.env = env.name;
    job.commit = commit;
    job.pusher = "alice";
    request.job = &job;
    request.repo = repo.get();
    request.env = &env;
    request.commit = commit;
    request.previous_commit = std::move(previous);
    // Same second for every attempt: the job number orders them.
    request.release_id = "20260101T000000Z-" + commit.substr(0, 12) + "-j" + std::to_string(job_id);
    request.log = [this](std::string_view line) { log.emplace_back(line); };
  }
  Attempt(const Attempt&) = delete;

  bool logged(const std::string& text) const {
    return std::any_of(log.begin(), log.end(), [&](const auto& l) { return l.find(text) != std::string::npos; });
  }
};

}  // namespace pushgate::test
