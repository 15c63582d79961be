#pragma once
// A work-tree repository in a fresh temporary folder, driven with the git
// CLI as a developer would, for tests that need real history.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "core/git/git.hpp"
#include "tests/unit/support/temp_dir.hpp"

namespace pushgate::test {

struct GitWorkTree {
  TempDir dir;
  TempDir scratch;  // git's output, outside the work tree
  git::RepositoryPtr repo;
  std::string base;  // the first commit, on main

  GitWorkTree() {
    git("init -q -b main");
    base = commit("base.txt", "base\n");
    repo = git::open(dir.path().string()).value();
  }

  // Runs `git ARGS` in the work tree; its output without trailing newlines.
  std::string git(const std::string& args) {
    std::string out = (scratch / "git.out").string();
    std::string cmd = "cd '" + dir.path().string() + "' && GIT_CONFIG_NOSYSTEM=1 HOME='" + dir.path().string() +
                      "' git -c user.name=t -c user.email=t@t " + args + " >'" + out + "' 2>&1";
    INFO(cmd);
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::string text = slurp(out);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }

  // Writes `text` to `file`, commits everything and returns the commit's id.
  std::string commit(const std::string& file, const std::string& text) {
    spit(dir / file, text);
    git("add -A");
    git("commit -qm '" + file + "'");
    return git("rev-parse HEAD");
  }

  git_oid oid(const std::string& rev) { return git::parse_oid(git("rev-parse " + rev)).value(); }
};

}  // namespace pushgate::test
