#!/usr/bin/env python3
"""A TCP proxy that counts bytes, for bench/fleet_deploy.sh: what a deploy
really sends to a host, on the wire (encrypted SSH, every channel and
handshake included), measured outside pushgate.

    byte_proxy.py PORT_FILE TARGET_PORT COUNTS

Listens on a free port of 127.0.0.1 (written to PORT_FILE once it listens)
and forwards each connection to 127.0.0.1:TARGET_PORT. COUNTS holds two
numbers, rewritten after every chunk: bytes client -> server, bytes
server -> client, over all connections so far.
"""
import os
import socket
import sys
import threading

port_file, target_port, counts_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
totals = [0, 0]
lock = threading.Lock()


def save():
    tmp = counts_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{totals[0]} {totals[1]}\n")
    os.replace(tmp, counts_file)


def pump(src, dst, direction):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
            with lock:
                totals[direction] += len(data)
                save()
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client):
    upstream = socket.create_connection(("127.0.0.1", target_port))
    threading.Thread(target=pump, args=(client, upstream, 0), daemon=True).start()
    threading.Thread(target=pump, args=(upstream, client, 1), daemon=True).start()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(64)
with lock:
    save()
with open(port_file + ".tmp", "w") as f:
    f.write(str(listener.getsockname()[1]))
os.replace(port_file + ".tmp", port_file)
while True:
    conn, _ = listener.accept()
    serve(conn)
