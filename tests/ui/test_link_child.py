"""The link check the app starts in a child process ends with the app, even when the app is
killed (#28: it ran on for about five minutes, re-parented to init, and a restart then ran
two on one data directory); and two checks never run on one data directory at once."""

import http.server
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest


class Hanging(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: ANN002
        pass

    def do_HEAD(self) -> None:  # noqa: N802
        time.sleep(60)  # a server that never answers in time

    do_GET = do_HEAD


@pytest.fixture
def hanging_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hanging)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def checks_running(data_dir: Path) -> list[int]:
    """The pids of link checks on `data_dir` still alive (a zombie is not)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if b"check-links" in command and str(data_dir).encode() in command and state != "Z":
            found.append(int(entry.name))
    return found


def wait_for(condition, seconds: float) -> bool:  # noqa: ANN001
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds processes in /proc")
def test_the_link_check_ends_when_the_app_is_killed(tmp_path: Path, hanging_server: str):
    data_dir = tmp_path / "data"
    (data_dir / "roadmaps").mkdir(parents=True)
    (data_dir / "roadmaps" / "plan.md").write_text(
        f"# Plan\n\n## Phase\n\n- [A slow page]({hanging_server}/slow)\n"
    )
    (data_dir / "config.toml").write_text("link_timeout_seconds = 120\n")
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    app = subprocess.Popen(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "--pane", "roadmap"],
        stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(follower)
    reader = threading.Thread(target=lambda: _drain(leader), daemon=True)
    reader.start()
    try:
        assert wait_for(lambda: checks_running(data_dir), 20), "the app started no link check"
        [child] = checks_running(data_dir)
        os.kill(app.pid, signal.SIGKILL)
        app.wait(timeout=10)
        started = time.monotonic()
        assert wait_for(lambda: not checks_running(data_dir), 5), "the check outlived the app"
        assert time.monotonic() - started < 5
        assert child not in checks_running(data_dir)
    finally:
        if app.poll() is None:
            app.kill()
        for pid in checks_running(data_dir):
            os.kill(pid, signal.SIGKILL)


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def test_a_second_check_on_one_data_directory_is_refused_in_one_line(
    tmp_path: Path, hanging_server: str
):
    data_dir = tmp_path / "data"
    page = tmp_path / "links.md"
    page.write_text(f"# Links\n\n- [slow]({hanging_server}/slow)\n")
    command = [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "check-links",
               "--timeout", "60", str(page)]  # fmt: skip
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: (data_dir / "link-check.lock").exists(), 15)
        time.sleep(0.5)  # taken
        second = subprocess.run(command, capture_output=True, text=True, timeout=30)
        assert second.returncode == 2
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "a link check is already running on" in lines[0]
    finally:
        first.kill()
        first.wait()
