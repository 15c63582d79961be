#!/usr/bin/env python3
"""A health endpoint for the end-to-end suites: GET /healthz answers with the
status written in FILE (the deployed release's HEALTH file: "200", "500"),
503 while FILE is missing. Listens on a free port of 127.0.0.1 and writes the
port to PORT_FILE once it listens.

usage: health_server.py FILE PORT_FILE
"""
import http.server
import os
import sys

status_file, port_file = sys.argv[1], sys.argv[2]


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            with open(status_file) as f:
                status = int(f.read().strip())
        except (OSError, ValueError):
            status = 503
        body = f"health {status}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stderr.write("health_server: " + (format % args) + "\n")


server = http.server.HTTPServer(("127.0.0.1", 0), Health)
tmp = port_file + ".tmp"
with open(tmp, "w") as f:
    f.write(str(server.server_address[1]))
os.rename(tmp, port_file)
server.serve_forever()
