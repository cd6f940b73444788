"""A real HTTP server on 127.0.0.1 with one path per behaviour a link checker must handle."""

import http.server
import threading
import time
from collections import Counter

from . import documents

ARTICLE = """<html><head><title>Gradient descent, explained</title></head><body>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>Gradient descent, explained</h1>
<p>Gradient descent minimises a loss by stepping against its gradient. The step size is the
learning rate, and choosing it well matters more than almost anything else in training.</p>
<h2>Learning rate</h2>
<p>Too large a learning rate makes the loss oscillate or diverge; too small a rate makes
training crawl. A schedule that starts large and decays is a common compromise.</p>
<h2>Stochastic variants</h2>
<p>Stochastic gradient descent estimates the gradient from a mini-batch. It is noisy but cheap,
and the noise even helps it escape poor regions of the loss surface.\x1b[31m</p>
<h2>Momentum</h2>
<p>Momentum keeps a running average of past gradients so that steps build speed along
consistent directions and damp oscillations across steep valleys of the surface.</p>
</article><footer>Copyright nobody</footer></body></html>"""


DOCUMENTS = {
    "/rich.html": ("text/html; charset=utf-8", documents.RICH_ARTICLE.encode()),
    "/latin1.html": ("text/html; charset=ISO-8859-1", documents.LATIN1_ARTICLE.encode("latin-1")),
    "/soft404.html": ("text/html; charset=utf-8", documents.SOFT_404.encode()),
    "/notes.txt": ("text/plain; charset=utf-8", documents.PLAIN_TEXT.encode()),
    "/backprop.md": ("text/markdown; charset=utf-8", documents.MARKDOWN_NOTES.encode()),
    "/paper.pdf": ("application/pdf", documents.minimal_pdf("Backpropagation by hand")),
    "/scan.pdf": ("application/pdf", documents.minimal_pdf("")),
    "/img/heads.png": ("image/png", documents.small_png()),
}


class Behaviour(http.server.BaseHTTPRequestHandler):
    """Paths: /ok, /head-refused, /retry-after, /redirect/N, /loop-a, /slow, /huge, /page.html,
    /doc.md, /unicode.html, /notes.md, /article.html, /slow-article.html, /forbidden,
    /rate-limited, /server-error, /missing."""

    protocol_version = "HTTP/1.1"
    hits: Counter = Counter()
    starts: list = []
    agents: list = []

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802
        self.handle_path()

    def do_GET(self) -> None:  # noqa: N802
        self.handle_path()

    def handle_path(self) -> None:
        path = self.path.split("?", 1)[0]
        Behaviour.starts.append((path, time.monotonic()))
        Behaviour.agents.append(self.headers.get("User-Agent", ""))
        Behaviour.hits[(self.command, path)] += 1
        Behaviour.hits[path] += 1
        if path == "/ok":
            self._send(200, b"fine")
        elif path == "/head-refused":
            self._send(405 if self.command == "HEAD" else 200, b"only GET")
        elif path == "/retry-after":
            first = Behaviour.hits[path] <= 2
            self._send(429, headers={"Retry-After": "1"}) if first else self._send(200, b"ok")
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            target = "/ok" if left <= 1 else f"/redirect/{left - 1}"
            self._send(302, headers={"Location": target})
        elif path in ("/loop-a", "/loop-b"):
            self._send(302, headers={"Location": "/loop-b" if path == "/loop-a" else "/loop-a"})
        elif path == "/slow":
            time.sleep(2)
            self._send(200, b"late")
        elif path == "/huge":
            self._huge()
        elif path == "/page.html":
            self._send(
                200,
                b'<html><h2 id="present">x</h2><a name="named"></a></html>',
                {"Content-Type": "text/html"},
            )
        elif path in DOCUMENTS:
            content_type, body = DOCUMENTS[path]
            self._send(200, body, {"Content-Type": content_type})
        elif path == "/trickle":
            self._trickle()
        elif path == "/unicode.html":
            self._send(
                200,
                '<html><h2 id="été">x</h2><h2 id="user-content-getting-started">y</h2>'
                '<a href="#x">z</a></html>'.encode(),
                {"Content-Type": "text/html; charset=utf-8"},
            )
        elif path == "/notes.md":
            self._send(
                200,
                "# Notes\n\n## Été à Paris\n".encode(),
                {"Content-Type": "text/markdown; charset=utf-8"},
            )
        elif path == "/doc.md":
            self._send(
                200,
                b"# Title\n\n## Getting Started [2 months]\n",
                {"Content-Type": "text/markdown"},
            )
        elif path == "/article.html":
            self._send(200, ARTICLE.encode(), {"Content-Type": "text/html; charset=utf-8"})
        elif path == "/slow-article.html":
            time.sleep(1)
            self._send(200, ARTICLE.encode(), {"Content-Type": "text/html; charset=utf-8"})
        elif path == "/forbidden":
            self._send(403)
        elif path == "/retry-long":
            self._send(429, headers={"Retry-After": "7200"})
        elif path == "/rate-limited":
            self._send(429, headers={"Retry-After": "0"})
        elif path == "/server-error":
            self._send(500)
        else:
            self._send(404)

    def _trickle(self) -> None:
        """A page that sends one byte a second, each within any single-wait timeout."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _huge(self) -> None:
        """500 MB announced, sent slowly: a checker that reads it would take minutes."""
        if self.command == "HEAD":
            self._send(405)
            return
        size = 500 * 1024 * 1024
        self.send_response(200)
        self.send_header("Content-Length", str(size))
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        chunk = b"x" * 65536
        try:
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
                Behaviour.hits["huge-bytes"] += len(chunk)
                time.sleep(0.01)
        except (BrokenPipeError, ConnectionResetError):
            pass


class Server:
    """Starts the behaviour server on an ephemeral port in a thread; stop() ends it."""

    def __init__(self) -> None:
        Behaviour.hits = Counter()
        Behaviour.starts = []
        Behaviour.agents = []
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Behaviour)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def hits(self) -> Counter:
        return Behaviour.hits

    @property
    def starts(self) -> list:
        return Behaviour.starts

    @property
    def agents(self) -> list:
        return Behaviour.agents

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
