// pushgate-post-receive: git's post-receive hook. See hooks/post_receive.hpp.

#include <cstring>
#include <iostream>

#include "hooks/post_receive.hpp"

int main(int argc, char** argv) {
  if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::cout << "usage: pushgate-post-receive\n\n"
                 "git's post-receive hook: reads '<old> <new> <ref>' lines on standard input and\n"
                 "queues one deploy job per environment that an updated branch maps to (the\n"
                 "repository's pushgate.yaml), for pushgated to run. Returns at once; with\n"
                 "`git push -o pushgate.wait` it streams each deploy's log until it ends or the\n"
                 "daemon's wait_limit passes. The daemon is the one named by\n"
                 "$PUSHGATE_DAEMON_CONFIG (set by `pushgate install --daemon-config`), else\n"
                 "/etc/pushgate/pushgated.yaml. Installed by `pushgate install REPO.git`.\n\n"
                 "exit status: always 0; the push has landed, problems are reported as remote: lines\n";
    return 0;
  }
  pushgate::run_post_receive(std::cin, std::cerr);
  return 0;
}
