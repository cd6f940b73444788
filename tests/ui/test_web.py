"""The served app in a real browser: Debian's Chromium driven by Playwright (no browser
download). The token opens it; keys pressed in the page tick an item and answer two cards,
all in the log; closing the tab ends the app and frees the data directory; a tab without the
token, or a websocket from another page, gets nothing."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from companion.store import open_store
from companion.store.errors import StoreLockedError

from ..web_server import TOKEN, launch_chromium, serving

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("COMPANION_REQUIRE_CHROMIUM"),
    reason="chromium is not installed (.ci/run installs it and requires these tests)",
)


def first_frame(page, url: str) -> float:  # noqa: ANN001
    """Open `url`; the seconds until the app's first screen arrives over the websocket."""
    arrived: list[float] = []

    def on_socket(socket) -> None:  # noqa: ANN001
        socket.on("framereceived", lambda _: arrived or arrived.append(time.perf_counter()))

    page.on("websocket", on_socket)
    started = time.perf_counter()
    page.goto(url)
    while not arrived and time.perf_counter() - started < 20:
        page.wait_for_timeout(50)
    assert arrived, "no frame from the app"
    page.wait_for_timeout(1500)  # the whole first screen drawn
    return arrived[0] - started


def logged(data_dir: Path) -> list[dict]:
    path = data_dir / "reviews.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_keys_in_the_browser_tick_an_item_and_answer_two_cards(tmp_path: Path):
    from playwright.sync_api import sync_playwright

    data_dir = tmp_path / "data"
    with serving(data_dir) as (base, _, _), sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        page = chromium.new_page(viewport={"width": 1200, "height": 800})
        assert first_frame(page, f"{base}/?token={TOKEN}") < 20
        assert page.url == f"{base}/"  # the token left the address bar for a cookie
        page.mouse.click(1000, 765)  # into the terminal, on the status line (not a tree item)
        page.keyboard.press("m")  # the Roadmap (a first start opens on it anyway)
        page.keyboard.press("x")  # the highlighted item: done
        page.keyboard.press("c")
        page.wait_for_timeout(800)
        for _ in range(2):
            page.keyboard.press(" ")  # show the answer
            page.wait_for_timeout(300)
            page.keyboard.press("3")  # Good
            page.wait_for_timeout(500)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            kinds = [e["kind"] for e in logged(data_dir)]
            if kinds.count("review") >= 2:
                break
            time.sleep(0.2)
        assert kinds.count("item") == 1 and kinds.count("review") == 2, kinds
        page.close()  # closing the tab ends the app: the data directory is free again
        deadline = time.monotonic() + 15
        while True:
            try:
                store = open_store(data_dir)
                break
            except StoreLockedError:
                assert time.monotonic() < deadline, "the app outlived its tab"
                time.sleep(0.2)
        store.close()
        chromium.close()
    # serve stopped: nothing of it is left running (the app's link check, its child, included)
    assert processes_of(data_dir) == []


def processes_of(data_dir: Path) -> list[int]:
    """The processes whose command line names the data directory."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(data_dir).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_a_tab_without_the_token_or_from_another_site_gets_nothing(tmp_path: Path):
    from playwright.sync_api import sync_playwright

    with serving(tmp_path / "data") as (base, _, _), sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        stranger = chromium.new_page()
        response = stranger.goto(f"{base}/")
        assert response.status == 401 and "needs its token" in stranger.content()
        # a page of another site opening the app's websocket (cross-site websocket hijacking)
        # gets refused, even in a browser that holds the cookie
        context = chromium.new_context()
        own = context.new_page()
        own.goto(f"{base}/?token={TOKEN}")
        other = context.new_page()
        other.goto("about:blank")
        outcome = other.evaluate(
            """url => new Promise(done => {
                const socket = new WebSocket(url);
                socket.onopen = () => done("open");
                socket.onerror = () => done("refused");
            })""",
            base.replace("http", "ws") + "/ws",
        )
        assert outcome == "refused"
        chromium.close()


def test_a_second_tab_is_told_the_data_directory_is_in_use_and_writes_nothing(tmp_path: Path):
    from playwright.sync_api import sync_playwright

    data_dir = tmp_path / "data"
    with serving(data_dir) as (base, _, process), sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        context = chromium.new_context(viewport={"width": 1200, "height": 800})
        first = context.new_page()
        first_frame(first, f"{base}/?token={TOKEN}")
        second = context.new_page()
        shown: list[str] = []

        def on_socket(socket) -> None:  # noqa: ANN001 - what the second tab's terminal draws
            def received(payload) -> None:  # noqa: ANN001
                text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
                shown.append(text)

            socket.on("framereceived", received)

        second.on("websocket", on_socket)
        assert first_frame(second, f"{base}/") < 20
        drawn = "".join(shown)
        assert "already in use" in drawn and "q closes" in drawn  # the one line, on its screen
        second.mouse.click(1000, 765)
        second.keyboard.press("x")  # nothing to tick there: it is not the app
        second.keyboard.press("q")
        second.wait_for_timeout(1500)
        first.mouse.click(1000, 765)
        first.keyboard.press("q")  # the first tab's app quits: answers and lock as they were
        first.wait_for_timeout(1500)
        chromium.close()
        process.terminate()
        said, _ = process.communicate(timeout=15)
    assert "already in use by companion" in said
    assert [e for e in logged(data_dir) if e["kind"] == "item"] == []
