"""`companion serve` in Debian's Chromium (Playwright): the first frame after the page opens,
and key press to screen updated. Prints one JSON object.

Figures: `first_frame_s`, from the page's navigation to the first frame that draws the app
(its tabs) over the websocket (the best and the worst of 3 fresh pages); `key_to_screen_ms`,
from a key pressed in the page (moving the Roadmap's cursor) to the first frame that answers
it, median and p90 of 40, as the browser's own clock sees both.
Run: python benchmarks/web.py   (needs chromium on PATH)
"""

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.web_server import TOKEN, launch_chromium, serving  # noqa: E402

WATCH = """() => {
    window.__frames = [];
    const native = window.WebSocket;
    window.WebSocket = function (...args) {
        const socket = new native(...args);
        socket.addEventListener("message", (event) => {  // the screen's bytes, not the JSON
            if (typeof event.data === "string") return;
            const now = performance.now();
            window.__frames.push(now);
            const bytes = event.data instanceof ArrayBuffer ? event.data : null;
            if (window.__drawn === undefined && bytes
                && new TextDecoder().decode(bytes).includes("Roadmap")) window.__drawn = now;
        });
        return socket;
    };
    window.WebSocket.prototype = native.prototype;
}"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    firsts, latencies = [], []
    with (
        tempfile.TemporaryDirectory() as tmp,
        serving(Path(tmp) / "data") as (base, _, _),
        sync_playwright() as playwright,
    ):
        chromium = launch_chromium(playwright)
        context = chromium.new_context(viewport={"width": 1200, "height": 800})
        context.add_init_script(f"({WATCH})()")
        for round_ in range(3):
            page = context.new_page()
            url = f"{base}/?token={TOKEN}" if round_ == 0 else f"{base}/"
            page.goto(url)
            page.wait_for_function("() => window.__drawn !== undefined", timeout=20_000)
            # performance.now() starts with the navigation: the time the app's tabs are drawn
            firsts.append(page.evaluate("() => window.__drawn") / 1000)
            if round_ < 2:
                page.wait_for_timeout(1500)
                page.close()  # one app per tab: the next tab opens once this one is gone
                keeper = context.new_page()
                keeper.wait_for_timeout(2000)
                keeper.close()
                continue
            page.wait_for_timeout(2000)
            page.mouse.click(1000, 765)
            for number in range(40):
                key = "ArrowDown" if number % 2 == 0 else "ArrowUp"
                before = page.evaluate("() => [performance.now(), window.__frames.length]")
                page.keyboard.press(key)
                page.wait_for_function(f"() => window.__frames.length > {before[1]}", timeout=5_000)
                after = page.evaluate(f"() => window.__frames[{before[1]}]")
                latencies.append(after - before[0])
                page.wait_for_timeout(100)
        chromium.close()
    ordered = sorted(latencies)
    print(json.dumps({
        "first_frame_s": [round(min(firsts), 2), round(max(firsts), 2)],
        "key_to_screen_ms": {"median": round(statistics.median(ordered), 1),
                             "p90": round(ordered[int(len(ordered) * 0.9)], 1)},
        "keys": len(ordered), "cpu_count": os.cpu_count(),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
