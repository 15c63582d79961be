// pushgate-post-receive: git's post-receive hook. See hooks/post_receive.hpp.

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "hooks/post_receive.hpp"

int main(int argc, char** argv) {
  if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::cout << "usage: pushgate-post-receive [--daemon-config FILE] [--identity-from VAR]\n\n"
                 "git's post-receive hook: reads '<old> <new> <ref>' lines on standard input and\n"
                 "queues one deploy job per environment that an updated branch maps to (the\n"
                 "repository's pushgate.yaml), for pushgated to run. Returns at once; with\n"
                 "`git push -o pushgate.wait` it streams each deploy's log until it ends or the\n"
                 "daemon's wait_limit passes. The daemon is the one named by --daemon-config\n"
                 "(written into the hook by `pushgate install`), else /etc/pushgate/pushgated.yaml.\n"
                 "Installed by `pushgate install REPO.git`.\n\n"
                 "exit status: always 0; the push has landed, problems are reported as remote: lines\n";
    return 0;
  }
  // Interim until the daemon side takes these over: the hook script names
  // the daemon's config in argv; --identity-from is accepted and not used yet.
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--daemon-config") == 0) ::setenv("PUSHGATE_DAEMON_CONFIG", argv[i + 1], 1);
    else if (std::strcmp(argv[i], "--identity-from") != 0) break;
  }
  pushgate::run_post_receive(std::cin, std::cerr);
  return 0;
}
