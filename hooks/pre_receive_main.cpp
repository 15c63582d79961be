// pushgate-pre-receive: git's pre-receive hook. See hooks/pre_receive.hpp.

#include <cstring>
#include <iostream>

#include "core/git/git.hpp"
#include "hooks/pre_receive.hpp"

int main(int argc, char** argv) {
  if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::cout << "usage: pushgate-pre-receive\n\n"
                 "git's pre-receive hook: reads '<old> <new> <ref>' lines on standard input and\n"
                 "validates the manifests each pushed branch or tag changes, using the repository's\n"
                 "pushgate.yaml. Installed by `pushgate install REPO.git`; not run by hand.\n\n"
                 "exit status: 0 accepted, 1 rejected (findings or a protected ref),\n"
                 "2 the server's pushgate.yaml is invalid or untrusted (or its hooks folder is\n"
                 "writable by others), 3 internal error or time budget exceeded\n";
    return 0;
  }
  pushgate::git::Library git;
  // receive-pack has checked every pushed object already; hashing each one
  // again on read is a tenth of the hook's work on a typical push.
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  // git runs this hook inside the repository it has already accepted
  // (safe.directory included); in a shared repository the pusher is not its
  // owner, and libgit2's own check (which misreads safe.directory=*) would
  // refuse the repository git is receiving into.
  git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
  auto result = pushgate::run_pre_receive(std::cin, std::cerr);
  return static_cast<int>(result);
}
