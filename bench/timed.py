#!/usr/bin/env python3
"""Runs a command and appends `LABEL WALL_S CPU_S` to FILE.

    timed.py FILE LABEL COMMAND...

WALL_S is the command's wall time; CPU_S is the user + system time of the
command and every descendant it waited for (for a file:// push: git push,
receive-pack and the hooks), which other load on the machine barely changes.
The command's output goes to this script's output; its exit status is
returned.
"""

import resource
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    out, label, command = sys.argv[1], sys.argv[2], sys.argv[3:]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    status = subprocess.call(command)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(out, "a", encoding="utf-8") as f:
        f.write(f"{label} {wall:.6f} {cpu:.6f}\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
