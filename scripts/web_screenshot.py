"""Regenerate screenshots/web.png: `companion serve` on a throwaway data directory, opened in
Debian's Chromium through Playwright, the Review pane after one answer.

Run: python scripts/web_screenshot.py   (needs chromium on PATH)
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.web_server import TOKEN, launch_chromium, serving  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "screenshots" / "web.png"


def main() -> None:
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory() as tmp,
        serving(Path(tmp) / "data") as (base, _, _),
        sync_playwright() as playwright,
    ):
        chromium = launch_chromium(playwright)
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{base}/?token={TOKEN}")
        page.wait_for_timeout(3000)
        page.mouse.click(1000, 765)  # the status line: the terminal takes the keys
        for key in ("c", " ", "3", " "):
            page.keyboard.press(key)
            page.wait_for_timeout(500)
        page.wait_for_timeout(800)
        page.screenshot(path=str(OUT))
        chromium.close()
    print(OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
