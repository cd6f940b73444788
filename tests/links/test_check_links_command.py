"""`companion check-links`: files, line numbers, JSON, exit codes, cache, and no network."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion.cli.main import main


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


FIXTURES = Path(__file__).parent / "fixtures"
# What `lychee --dump every-link-kind.md` (lychee 0.24.2) lists: links, images, autolinks,
# reference links, HTML tags' href/src/srcset, bare URLs with trailing punctuation left out;
# nothing from code, comments, or URLs without a scheme and e-mail addresses.
LYCHEE_FINDS = [
    "http://localhost:8080/x",
    "https://auto.dev/",
    "https://colon.dev/y",
    "https://en.wikipedia.org/wiki/Foo_(bar)",
    "https://exmpl.com/a",
    "https://exmpl.net/c",
    "https://exmpl.org/b",
    "https://html.dev/a",
    "https://html.dev/i.png",
    "https://img.dev/x.png",
    "https://inline-md.dev/page#frag",
    "https://inline.dev/",
    "https://paren.dev/x",
    "https://quoted.dev/q",
    "https://ref.dev/target",
    "https://s.dev/a.png",
    "https://s.dev/b.png",
    "https://semi.dev/z",
    "https://table-link.dev/",
    "https://table.dev/",
    "https://x.dev/path?a=1&b=2",
]


def test_every_link_lychee_finds_in_markdown_is_found(tmp_path):
    from companion.links.extract import links_in_markdown

    doc = FIXTURES / "every-link-kind.md"
    found = links_in_markdown(doc.read_text(), str(doc))
    assert sorted({link.url for link in found}) == sorted(LYCHEE_FINDS)
    lines = {link.url: link.line for link in found}
    assert lines["https://html.dev/i.png"] == 10 and lines["https://semi.dev/z"] == 21


def test_a_folder_is_searched_for_markdown_and_exclude_include_accept_work(
    server, tmp_path, capsys
):
    notes = tmp_path / "notes"
    (notes / "deep" / "er").mkdir(parents=True)
    (notes / ".git").mkdir()
    (notes / "a.md").write_text(f"See {server.base}/ok.\n")
    (notes / "deep" / "er" / "b.markdown").write_text(f"![img]({server.base}/forbidden)\n")
    (notes / "deep" / "c.md").write_text(f'<a href="{server.base}/missing">gone</a>\n')
    (notes / ".git" / "d.md").write_text(f"{server.base}/server-error\n")  # hidden: left out
    (notes / "e.txt").write_text(f"{server.base}/missing\n")  # not Markdown
    args = ["--data-dir", str(tmp_path / "d"), "check-links", str(notes), "--no-cache"]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "3 links in 3 files: 1 ok, 1 broken, 1 blocked" in out
    assert "server-error" not in out
    code = main([*args, "--exclude", "miss", "--exclude", "ok$", "--include", "/ok",
                 "--accept", "200,403"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "3 links in 3 files: 2 ok, 1 skipped" in out
    assert f"skipped    {server.base}/missing  excluded" in out
    assert server.hits[("GET", "/missing")] + server.hits[("HEAD", "/missing")] == 2  # 1st run
    assert main([*args, "--accept", "200..=299"]) == 1
    refused = f"⊘ blocked    {server.base}/forbidden  HTTP 403, not in --accept"
    assert refused in capsys.readouterr().out


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--exclude", "(", "--exclude '(' is not a regular expression"),
        ("--accept", "200,x", "--accept: 'x' is not a status"),
        ("--accept", "42", "statuses run from 100 to 999"),
    ],
)
def test_bad_patterns_and_statuses_are_one_line_errors(tmp_path, capsys, option, value, message):
    doc = tmp_path / "a.md"
    doc.write_text("nothing\n")
    assert main(["--data-dir", str(tmp_path / "d"), "check-links", str(doc), option, value]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
