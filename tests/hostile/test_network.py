"""Hostile web servers on 127.0.0.1: bad redirects, a double gzip bomb and a drip feed end in a
one-line verdict or error, within a deadline and a memory bound, in the CLI and in the app."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from companion.paths import ensure_data_dir
from companion.ui.panes.roadmap import RoadmapPane

from ..ui.helpers import screen_text
from .hostile_server import PEAK_RSS_RUN, HostileServer, double_gzip_bomb


@pytest.fixture(scope="module")
def hostile():
    double_gzip_bomb()  # built once, before any timing
    running = HostileServer()
    yield running
    running.stop()


def companion(data_dir: Path, *args: str, limit_s: float = 120) -> tuple[int, str, str, int]:
    """(exit code, stdout, stderr without the memory line, peak RSS in MB) of a real run."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS_RUN, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=limit_s,
        stdin=subprocess.DEVNULL,
    )
    *errors, last = result.stderr.splitlines() or ["peak_rss_kb=0"]
    assert last.startswith("peak_rss_kb="), result.stderr
    return result.returncode, result.stdout, "\n".join(errors), int(last.split("=")[1]) // 1024


def toasts(app) -> str:
    """The screen's text with wrapped lines joined (words matter, not the wrapping), then the
    text of every notification still up (a toast may cover words of the screen under it)."""
    screen = " ".join(screen_text(app).replace("▌", " ").split())
    return screen + " | " + " | ".join(n.message for n in app._notifications)


def data_dir_with(tmp_path: Path, config: str = "", roadmap: str = "") -> Path:
    data_dir = ensure_data_dir(tmp_path / "data")
    (data_dir / "config.toml").write_text(config)
    if roadmap:
        (data_dir / "roadmaps" / "hostile.md").write_text(roadmap)
    return data_dir


def assert_one_line_error(code: int, err: str, words: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err and err.count("\n") == 0, err
    assert err.startswith("companion: error: ") and words in err, err


@pytest.mark.parametrize("path", ["/js", "/data"])
def test_a_redirect_to_javascript_or_data_is_a_one_line_error_in_save_and_roadmap_add(
    hostile, tmp_path: Path, path: str
):
    data_dir = data_dir_with(tmp_path)
    code, _, err, _ = companion(data_dir, "save", hostile.base + path)
    assert_one_line_error(code, err, "redirects to an address that is not a web link")
    code, _, err, _ = companion(data_dir, "roadmap", "add", hostile.base + path)
    assert_one_line_error(code, err, "redirects to an address that is not a web link")


def test_check_links_gives_every_hostile_url_a_verdict(hostile, tmp_path: Path):
    base = hostile.base
    roadmap = (
        "# Hostile\n\n## Links\n\n"
        f"- [js]({base}/js)\n- [data]({base}/data)\n- [bomb]({base}/bomb#part)\n"
        f"- [drip]({base}/drip)\n- [bad](http://exa mple.org/x)\n"
    )
    data_dir = data_dir_with(tmp_path, "link_timeout_seconds = 1\n", roadmap)
    started = time.monotonic()
    roadmap_file = str(data_dir / "roadmaps" / "hostile.md")
    code, out, err, peak_mb = companion(data_dir, "check-links", "--format", "json", roadmap_file)
    took = time.monotonic() - started
    assert code == 1 and "Traceback" not in err, err
    verdicts = {
        row["url"].removeprefix(base): (row["verdict"], row["error"]) for row in json.loads(out)
    }
    assert verdicts["/js"] == ("broken", "redirects to an address that is not a web link")
    assert verdicts["/data"] == ("broken", "redirects to an address that is not a web link")
    assert verdicts["/bomb#part"] == ("broken", "missing fragment #part")
    assert verdicts["/drip"] == ("broken", "too slow: cut off after 2 s")
    assert peak_mb < 200, peak_mb
    assert took < 8, took  # the drip alone used to hold the check for minutes
    print(f"check-links on the hostile server: {took:.1f} s, peak RSS {peak_mb} MB")


def test_a_double_gzip_bomb_is_refused_within_200_mb(hostile, tmp_path: Path):
    data_dir = data_dir_with(tmp_path)
    code, _, err, peak_mb = companion(data_dir, "save", f"{hostile.base}/bomb")
    assert_one_line_error(code, err, "too large (over 5 MB once decoded)")
    assert peak_mb < 200, peak_mb
    code, _, err, peak_mb = companion(data_dir, "roadmap", "add", f"{hostile.base}/bomb")
    assert_one_line_error(code, err, "too large")
    assert peak_mb < 200, peak_mb
    print(f"double gzip bomb (1 GiB inflated): save peak RSS {peak_mb} MB")


def test_a_drip_feeding_server_is_cut_off_at_the_deadline(hostile, tmp_path: Path):
    data_dir = data_dir_with(tmp_path, "link_timeout_seconds = 1\n")
    started = time.monotonic()
    code, _, err, _ = companion(data_dir, "save", f"{hostile.base}/drip")
    took = time.monotonic() - started
    assert_one_line_error(code, err, "too slow, cut off after 2 s")
    assert took < 8, took
    print(f"drip feed: save cut off after {took:.1f} s (deadline 2 s, start-up included)")


async def test_the_app_survives_hostile_links_on_save_and_in_the_start_up_check(
    make_app, data_dir: Path, hostile
):
    base = hostile.base
    (data_dir / "config.toml").write_text("link_timeout_seconds = 1\n")
    (data_dir / "roadmaps" / "hostile.md").write_text(
        f"# Hostile\n\n## Links\n\n- Read [js]({base}/js) and [data]({base}/data)\n"
        f"- Read [the bomb]({base}/bomb)\n"
    )
    app = make_app(bundled=False, link_timeout_seconds=1)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # read the first item
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "redirects to an address that is not a web link" in toasts(app)
        await pilot.press("m")  # back to the Roadmap for the second item, as a learner does
        app.screen.query_one(RoadmapPane).select_item(app.library.roadmaps[0].items[1].id)
        await pilot.press("enter", "s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "too large (over 5 MB once decoded)" in toasts(app)
        app.link_watch.start(force=False)  # what the app does a few seconds after start
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The bomb's HEAD answers 200 and a check reads no body without a #fragment: ok.
        assert "Links: 1 ok, 2 broken (2 newly broken)" in toasts(app)
        assert app.is_running


async def test_a_failing_background_check_is_one_notice_and_the_app_runs_on(
    make_app, data_dir: Path
):
    (data_dir / "roadmaps" / "plan.md").write_text(
        "# Plan\n\n## Links\n\n- Read [a page](http://127.0.0.1:9/page)\n"
    )
    app = make_app(bundled=False)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        # A real child that dies as the old checker did: exit 1, a traceback, no output.
        app.link_watch.child_command = [
            sys.executable,
            "-c",
            "import sys; sys.stderr.write('Traceback...\\nhttpx.InvalidURL: bad\\n'); sys.exit(1)",
        ]
        await pilot.press("L")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Link check failed: httpx.InvalidURL: bad" in toasts(app)
        assert app.is_running
        await pilot.press("j")
        assert app.is_running
