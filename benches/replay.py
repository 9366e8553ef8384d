"""Answers every POST with one file, as a SPARQL endpoint would: for measuring a client alone.

    python3 benches/replay.py FILE MEDIA-TYPE PORTFILE

Listens on a free loopback port, writes it to PORTFILE, and streams FILE in 64 KiB chunks with
Content-Type MEDIA-TYPE to each POST (the request body is read and ignored). Stops on SIGTERM.
"""

import http.server
import signal
import sys


def main():
    path, media_type, port_file = sys.argv[1:4]

    class Replay(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with open(path, "rb") as answer:
                answer.seek(0, 2)
                size = answer.tell()
                answer.seek(0)
                self.send_response(200)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                while chunk := answer.read(65536):
                    self.wfile.write(chunk)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(port_file, "w") as out:
        out.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
