"""A real HTTP server on 127.0.0.1 that misbehaves: bad redirects, a double gzip bomb, a drip."""

import functools
import gzip
import http.server
import threading
import time
import zlib

BOMB_GIB = 1  # 1 GiB inflated: a reader without a cap needs over 1 GB to hold it

# `python -c PEAK_RSS_RUN ARGS...` runs the real command line, then prints the process's peak
# memory on its last stderr line. VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the
# forking process (pytest, say) across exec.
PEAK_RSS_RUN = (
    "import re, sys\n"
    "from companion.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "peak = re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)\n"
    "print(f'peak_rss_kb={peak}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@functools.cache
def double_gzip_bomb(gib: int = BOMB_GIB) -> bytes:
    """`gib` GiB of zeros gzipped twice (about 2 KB per GiB): sent as `gzip, gzip`."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * (1 << 20)
    parts = [inner.compress(zeros) for _ in range(gib * 1024)]
    parts.append(inner.flush())
    return gzip.compress(b"".join(parts), 9)


class Hostile(http.server.BaseHTTPRequestHandler):
    """/js and /data redirect to javascript: and data: URLs; /bomb is the double gzip bomb;
    /drip sends its headers then one byte every DRIP_GAP_S seconds, for minutes."""

    protocol_version = "HTTP/1.1"
    drip_gap_s = 0.3

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass

    def do_HEAD(self) -> None:  # noqa: N802
        self.handle_path()

    def do_GET(self) -> None:  # noqa: N802
        self.handle_path()

    def _headers(self, status: int, headers: dict) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()

    def handle_path(self) -> None:
        path = self.path.split("?", 1)[0]
        if path in ("/js", "/data"):
            target = "javascript:alert(1)" if path == "/js" else "data:text/html,<b>hi</b>"
            self._headers(302, {"Location": target, "Content-Length": "0"})
        elif path == "/bomb":
            body = double_gzip_bomb()
            self._headers(
                200,
                {
                    "Content-Type": "text/html; charset=utf-8",
                    "Content-Encoding": "gzip, gzip",
                    "Content-Length": str(len(body)),
                },
            )
            if self.command == "GET":
                self.wfile.write(body)
        elif path == "/drip":
            self._drip()
        else:
            self._headers(404, {"Content-Length": "0"})

    def _drip(self) -> None:
        """The status line and headers a byte at a time, then a body a byte at a time."""
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
        body = b"<html><body><p>" + b"x" * 99985
        try:
            for byte in head + (body if self.command == "GET" else b""):
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(self.drip_gap_s)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


class HostileServer:
    """Runs the server on an ephemeral port in a thread; stop() ends it."""

    def __init__(self) -> None:
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
