"""`companion check-links`: files, line numbers, JSON, exit codes, cache, and no network."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion.cli.main import main

from .server import Server


@pytest.fixture
def server():
    running = Server()
    yield running
    running.stop()


def write_doc(folder: Path, base: str) -> Path:
    (folder / "other.md").write_text("# Other\n\n## Exists here\n")
    doc = folder / "plan.md"
    doc.write_text(
        f"# Plan\n\n- [fine]({base}/ok)\n- [gone]({base}/missing)\n"
        f"- [wall]({base}/forbidden) and [again]({base}/ok)\n"
        "- [local](other.md#exists-here) [bad anchor](other.md#nope) [no file](absent.md)\n"
        "- [mail](mailto:me@example.org)\n"
    )
    return doc


def test_text_report_groups_by_file_with_lines_and_exit_1_when_broken(server, tmp_path, capsys):
    doc = write_doc(tmp_path, server.base)
    code = main(["--data-dir", str(tmp_path / "d"), "check-links", str(doc), "--timeout", "2"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith(f"{doc}\n")
    assert f"    3  ✓ ok         {server.base}/ok" in out
    assert f"    4  ✗ broken     {server.base}/missing  HTTP 404" in out
    assert f"    5  ⊘ blocked    {server.base}/forbidden  HTTP 403" in out
    assert "missing fragment #nope" in out and "no such file" in out
    assert "8 links in 1 files: 3 ok, 3 broken, 1 blocked, 1 skipped" in out
    assert server.hits[("HEAD", "/ok")] == 1  # the same URL twice is checked once


def test_json_output_and_the_cache(server, tmp_path, capsys):
    doc = write_doc(tmp_path, server.base)
    data = tmp_path / "d"
    main(["--data-dir", str(data), "check-links", str(doc), "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert {"url", "verdict", "status", "final_url", "error", "source"} <= set(rows[0])
    assert {r["verdict"] for r in rows} == {"ok", "broken", "blocked", "skipped"}
    hits = server.hits[("HEAD", "/ok")]
    main(["--data-dir", str(data), "check-links", str(doc), "--format", "json"])
    capsys.readouterr()
    assert server.hits[("HEAD", "/ok")] == hits  # cached for a day
    main(["--data-dir", str(data), "check-links", str(doc), "--no-cache", "--format", "json"])
    assert server.hits[("HEAD", "/ok")] == hits + 1


def test_bad_usage_and_unreadable_input_exit_2(tmp_path, capsys):
    binary = tmp_path / "x.md"
    binary.write_bytes(b"\x00\x01\x02")
    assert main(["--data-dir", str(tmp_path / "d"), "check-links", str(binary)]) == 2
    assert "binary" in capsys.readouterr().err
    for option, value in [("--timeout", "0"), ("--timeout", "nan"), ("--max-concurrency", "0")]:
        assert main(["--data-dir", str(tmp_path / "d"), "check-links", option, value]) == 2
        error = capsys.readouterr().err
        assert error.startswith(f"companion: error: {option} should be") and error.count("\n") == 1
    with pytest.raises(SystemExit) as usage:
        main(["check-links", "--format", "xml"])
    assert usage.value.code == 2


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare for a network namespace")
def test_with_no_network_links_are_offline_not_broken(tmp_path):
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user namespaces are not allowed here")
    doc = tmp_path / "plan.md"
    doc.write_text("- [a](https://example.org/a)\n- [b](http://example.net/b#x)\n- [c](c.md)\n")
    (tmp_path / "c.md").write_text("# C\n")
    result = subprocess.run(
        [
            "unshare",
            "-rn",
            sys.executable,
            "-m",
            "companion",
            "--data-dir",
            str(tmp_path / "d"),
            "check-links",
            str(doc),
            "--format",
            "json",
            "--timeout",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    verdicts = [row["verdict"] for row in json.loads(result.stdout)]
    assert verdicts == ["offline", "offline", "ok"]


@pytest.mark.skipif(
    shutil.which("unshare") is None or shutil.which("ip") is None,
    reason="needs unshare and ip for a network namespace",
)
def test_a_local_server_answering_does_not_make_unreachable_internet_links_broken(tmp_path):
    """Only loopback is up: the local link is ok, the internet link offline (never broken)."""
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [
            "unshare",
            "-rn",
            "sh",
            "-c",
            f"ip link set lo up && cd {root} && {sys.executable} -m tests.links.offline_probe",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if "Operation not permitted" in result.stderr:
        pytest.skip("user namespaces are not allowed here")
    assert result.returncode == 0, result.stderr
    verdicts = [row["verdict"] for row in json.loads(result.stdout)]
    assert verdicts == ["ok", "offline"]


def run_with_stderr_on_a_terminal(args: list[str]) -> tuple[int, str, str]:
    """Run `companion` with stderr on a pseudo-terminal; return (exit code, stdout, stderr)."""
    import os
    import pty

    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "companion", *args],
        stdout=subprocess.PIPE,
        stderr=secondary,
        text=True,
    )
    os.close(secondary)
    stdout = process.stdout.read()
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal is closed once the process has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    return process.wait(timeout=60), stdout, b"".join(chunks).decode()


def test_a_progress_bar_is_drawn_on_a_terminal_and_never_into_a_pipe(server, tmp_path):
    doc = write_doc(tmp_path, server.base)
    args = ["--data-dir", str(tmp_path / "d"), "check-links", str(doc), "--no-cache"]
    code, stdout, stderr = run_with_stderr_on_a_terminal(args)
    assert code == 1
    assert f"\r[{'#' * 30}] 3/3" in stderr  # three distinct web URLs, all checked
    assert stderr.endswith("\r\n") or stderr.endswith("\n")
    assert "[" not in stdout.splitlines()[0]  # the report itself stays clean
    piped = subprocess.run(
        [sys.executable, "-m", "companion", *args], capture_output=True, text=True, timeout=60
    )
    assert piped.returncode == 1 and "3/3" not in piped.stderr and "#" not in piped.stderr
