"""A supervision platform for the push tests (liuhen.exchange.push): a real HTTP server on loopback
(http.server in a thread) that answers each POST with the next of its `answers` (the last one
repeated) and keeps what it was sent."""
import contextlib
import http.server
import json
import socket
import threading


class Platform(http.server.ThreadingHTTPServer):
    def __init__(self, answers):
        self.answers = list(answers)
        self.received = []
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/push"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.headers, body))  # case-insensitive names
        status = self.server.answers.pop(0) if len(self.server.answers) > 1 else self.server.answers[0]
        answer = json.dumps({"ok": status < 300}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def platform(*answers):
    """A Platform serving in a thread while the block runs."""
    server = Platform(answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port_url():
    """A loopback address nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/push"
