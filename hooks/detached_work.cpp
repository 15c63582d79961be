#include "hooks/detached_work.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace pushgate {

void exit_then_run(int status, const std::function<void()>& work) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  auto run = [&work] {
    try {
      work();
    } catch (...) {
    }
  };
  if (!work) ::_exit(status);
  // git reads the hook's output until every writer has closed it: closed
  // here, before the fork, so git goes on without waiting for the child to
  // be scheduled.
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd <= 2; ++fd) {
    if (null >= 0) ::dup2(null, fd);
    else ::close(fd);
  }
  pid_t pid = ::fork();
  // The parent exits at once: tearing down its state would also copy every
  // page it writes, which it now shares with the child.
  if (pid > 0) ::_exit(status);
  if (pid < 0) {
    run();
    ::_exit(status);
  }
  ::setsid();
  run();
  ::_exit(0);
}

}  // namespace pushgate
