"""`companion serve` started for a test: on a free port of 127.0.0.1, with a known token."""

import os
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

TOKEN = "a-token-for-the-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(data_dir: Path, *extra: str):
    """Yield (base URL, the line it printed, the process); stopped after."""
    port = free_port()
    env = {**os.environ, "COMPANION_TOKEN": TOKEN}
    process = subprocess.Popen(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "serve", "--port",
         str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        line = process.stdout.readline().strip()  # the URL, once it listens
        yield f"http://127.0.0.1:{port}", line, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def launch_chromium(playwright):  # noqa: ANN001, ANN201
    """Debian's Chromium through Playwright (never a browser Playwright downloads)."""
    return playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                      args=["--no-sandbox"])  # fmt: skip
