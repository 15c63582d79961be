// pushgate-pre-receive: git's pre-receive hook. See hooks/pre_receive.hpp.

#include <openssl/crypto.h>

#include <iostream>
#include <string_view>

#include "core/git/git.hpp"
#include "hooks/hook_file.hpp"
#include "hooks/pre_receive.hpp"

int main(int argc, char** argv) {
  pushgate::PreReceiveOptions options;
  options.end = pushgate::HookEnd::exit_process;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: pushgate-pre-receive [--hook-file FILE | --identity-from VAR]\n\n"
                   "git's pre-receive hook: reads '<old> <new> <ref>' lines on standard input and\n"
                   "validates the manifests each pushed branch or tag changes, the signatures of\n"
                   "its new commits (validate.signatures) and who may push to an environment's\n"
                   "branch (allowed_pushers), using the repository's pushgate.yaml. Installed by\n"
                   "`pushgate install REPO.git`; not run by hand.\n"
                   "  --hook-file FILE      read the settings from the hook file FILE, which names\n"
                   "                        this program on its #! line (it must be owned by root or\n"
                   "                        the repository's owner, and writable by nobody else)\n"
                   "  --identity-from VAR   the one variable the Git server sets to the authenticated\n"
                   "                        pusher (GL_USER, GITEA_PUSHER_NAME, GL_USERNAME, REMOTE_USER);\n"
                   "                        without it the pusher is the account the hook runs as\n\n"
                   "exit status: 0 accepted, 1 rejected (findings or a protected ref),\n"
                   "2 the server's pushgate.yaml is invalid or untrusted (or its hooks folder is\n"
                   "writable by others), 3 internal error or time budget exceeded\n";
      return 0;
    }
    if (arg == "--hook-file" && i + 1 < argc) {
      auto settings = pushgate::read_hook_file(argv[++i], pushgate::hook_git_dir());
      if (!settings) {
        std::cerr << "error: pushgate: push rejected: " << settings.error().message
                  << "; an administrator must fix the hook (run `pushgate install` again)\n";
        return static_cast<int>(pushgate::PreReceiveResult::config_error);
      }
      options.identity_from = settings->identity_from;
    } else if (arg == "--identity-from" && i + 1 < argc) {
      options.identity_from = argv[++i];
    } else if (arg.starts_with("--identity-from=")) {
      options.identity_from = arg.substr(arg.find('=') + 1);
    } else {
      // Fail closed: an argument this program does not know may be a check it would skip.
      std::cerr << "error: pushgate: push rejected: pushgate-pre-receive does not know the argument '" << arg
                << "'; run `pushgate install` again\n";
      return static_cast<int>(pushgate::PreReceiveResult::internal_error);
    }
  }
  pushgate::git::Library git;
  // pushgate prints no OpenSSL error text: loading it all (~1 M
  // instructions) when the signature check first touches OpenSSL is waste.
  OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS, nullptr);
  // receive-pack has checked every pushed object already; hashing each one
  // again on read is a tenth of the hook's work on a typical push.
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  // git runs this hook inside the repository it has already accepted
  // (safe.directory included); in a shared repository the pusher is not its
  // owner, and libgit2's own check (which misreads safe.directory=*) would
  // refuse the repository git is receiving into.
  git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
  auto result = pushgate::run_pre_receive(std::cin, std::cerr, options);
  return static_cast<int>(result);
}
