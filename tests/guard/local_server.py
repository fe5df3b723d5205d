"""A small HTTP server on 127.0.0.1 (ports 8165-8169) for the probe and the external-link check: fixed answers per
path, and a log of what was asked when. No test here reaches beyond this machine."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTS = range(8165, 8170)
SLOW_SECONDS = 2.0
ROBOTS = "User-agent: *\nDisallow: /private/\n"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def do_HEAD(self):
        self._answer(with_body=False)

    def do_GET(self):
        self._answer(with_body=True)

    def _answer(self, *, with_body: bool):
        self.server.asked.append((self.command, self.path, time.monotonic()))
        path = self.path.split("?")[0]
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
        status, body, headers = {
            "/robots.txt": (200, ROBOTS, {"Content-Type": "text/plain"}),
            "/missing": (404, "not found", {}),
            "/broken": (500, "error", {}),
            "/moved": (301, "", {"Location": "/ok"}),
        }.get(path, (200, "<html><body>首页 ok</body></html>", {"Content-Type": "text/html; charset=utf-8"}))
        data = body.encode("utf-8")
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if with_body:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


class LocalServer:
    def __init__(self):
        last_error = None
        for port in PORTS:
            try:
                self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
                break
            except OSError as error:
                last_error = error
        else:
            raise RuntimeError(f"ports {PORTS.start}-{PORTS.stop - 1} are all taken") from last_error
        self.httpd.daemon_threads = True
        self.httpd.asked = []
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def asked(self) -> list[tuple[str, str, float]]:
        return self.httpd.asked

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
