#!/usr/bin/env python3
"""Timestamps what a running pushgated does, from outside it.

    latency_probe.py SPOOL_NEW_DIR OUT < daemon's standard error

Appends to OUT, one line per event, with CLOCK_REALTIME in nanoseconds:

    <ns> appear <file>    a job file was renamed into SPOOL/new (inotify
                          IN_MOVED_TO, the same event pushgated waits for)
    <ns> log <line>       a line pushgated wrote to standard error

Ends when the daemon's standard error closes.
"""

import ctypes
import os
import select
import struct
import sys
import time

IN_MOVED_TO = 0x00000080
EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    new_dir, out_path = sys.argv[1], sys.argv[2]
    os.makedirs(new_dir, mode=0o770, exist_ok=True)
    libc = ctypes.CDLL(None, use_errno=True)
    watch = libc.inotify_init1(os.O_CLOEXEC)
    if watch < 0 or libc.inotify_add_watch(watch, new_dir.encode(), IN_MOVED_TO) < 0:
        sys.exit(f"latency_probe: cannot watch {new_dir}: {os.strerror(ctypes.get_errno())}")
    daemon = sys.stdin.fileno()
    pending = b""
    with open(out_path, "a", buffering=1, encoding="utf-8", errors="replace") as out:
        while True:
            ready, _, _ = select.select([watch, daemon], [], [])
            now = time.time_ns()
            if watch in ready:
                buf = os.read(watch, 65536)
                offset = 0
                while offset < len(buf):
                    _, mask, _, length = EVENT.unpack_from(buf, offset)
                    name = buf[offset + EVENT.size:offset + EVENT.size + length].rstrip(b"\0").decode()
                    offset += EVENT.size + length
                    if mask & IN_MOVED_TO:
                        out.write(f"{now} appear {name}\n")
            if daemon in ready:
                chunk = os.read(daemon, 65536)
                if not chunk:
                    return 0
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    out.write(f"{now} log {line.decode(errors='replace')}\n")


if __name__ == "__main__":
    sys.exit(main())
