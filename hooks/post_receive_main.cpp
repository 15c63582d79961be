// pushgate-post-receive: git's post-receive hook. Deploys come with the
// pushgated daemon; until then it reads its input so git never sees a broken
// pipe, and accepts.

#include <cstring>
#include <iostream>
#include <limits>

int main(int argc, char** argv) {
  if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::cout << "usage: pushgate-post-receive\n\n"
                 "git's post-receive hook: reads '<old> <new> <ref>' lines on standard input.\n"
                 "Installed by `pushgate install REPO.git`; not run by hand. Exit status 0.\n";
    return 0;
  }
  std::cin.ignore(std::numeric_limits<std::streamsize>::max());
  return 0;
}
