# shellcheck shell=bash
# TCP ports on 127.0.0.1 for the servers the tests and benchmarks start
# (tests/e2e/servers.sh, loopback_sshd.sh). Sourced, never run.

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on right now
# (a connection to it is refused); fails after 200 tries. Another process may
# take the port before the caller binds it, so servers retry with a new one.
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  return 1
}

# wait_until_listening PID COMMAND...: waits (at most 10 s) until COMMAND
# succeeds, COMMAND being how the server with process PID says it listens (a
# pid file, a log line); fails early when PID has exited. Probing the port
# instead would be fooled by another process that took the port first.
wait_until_listening() {
  local pid=$1
  shift
  for _ in $(seq 200); do
    if "$@" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
