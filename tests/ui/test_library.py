"""The Library (#15.10): every saved page with its title, source, date, size and the items
linking to it; open, save again, delete; pages saved with `companion save` listed too."""

from pathlib import Path

import pytest
from textual.widgets import DataTable

from companion.cli.main import main
from companion.store.saved_pages import load_page, page_path
from companion.ui.dialogs.confirm import Confirm
from companion.ui.dialogs.library import LibraryDialog
from companion.ui.panes.reader import ReaderPane

from ..links.server import Server
from .helpers import screen_text


@pytest.fixture
def pages(data_dir: Path, server: Server) -> tuple[str, str]:
    """A page saved for a roadmap item, and one saved with `companion save` alone."""
    linked, alone = f"{server.base}/article.html", f"{server.base}/latin1.html"
    (data_dir / "roadmaps" / "local.md").write_text(
        f"# Plan\n\n## Optimisation\n\n- Read about descent: [the article]({linked})\n"
    )
    assert main(["--data-dir", str(data_dir), "save", linked]) == 0
    assert main(["--data-dir", str(data_dir), "save", alone]) == 0
    return linked, alone


def rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def test_the_library_lists_opens_resaves_and_deletes(make_app, data_dir, server, pages):
    linked, alone = pages
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(140, 30), notifications=True) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LibraryDialog)
        listed = {row[0]: row for row in rows(app)}
        assert set(listed) == {"Gradient descent, explained", "Régression linéaire"}
        article = listed["Gradient descent, explained"]
        assert article[3] == "Read about descent: the artic…"  # the item linking to it
        assert listed["Régression linéaire"][3] == "—"  # saved with `companion save` alone
        assert article[2].endswith("KB") and article[1] != "—"
        assert "Library: 2 saved pages" in screen_text(app)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=[r[0] for r in rows(app)].index("Régression linéaire"))
        await pilot.press("enter")
        await pilot.pause()
        assert reader.document_key == ("saved", alone)
        assert "l'écart quadratique" in screen_text(app)
        before = load_page(data_dir, linked).saved
        await pilot.press("l")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=[r[0] for r in rows(app)].index("Gradient descent, explained"))
        old = f"---\nurl: {linked}\nsaved: 2020-01-01\n---\nold\n"
        page_path(data_dir, linked).write_text(old)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert load_page(data_dir, linked).markdown != "old\n"  # fetched again
        assert load_page(data_dir, linked).saved > "2020"
        assert before  # the first save had a date too
        table.move_cursor(row=[r[0] for r in rows(app)].index("Régression linéaire"))
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert not page_path(data_dir, alone).exists()
        assert [r[0] for r in rows(app)] == ["Gradient descent, explained"]
        await pilot.press("escape")
        await pilot.pause()
        assert reader.document_key != ("saved", alone)  # it was on screen: the Reader stepped back


async def test_the_library_from_the_palette_and_when_empty(make_app):
    app = make_app(pane="roadmap")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.action_library()
        await pilot.pause()
        assert app.current_pane == "reader" and isinstance(app.screen, LibraryDialog)
        assert "no saved pages yet" in screen_text(app)
        await pilot.press("enter")  # nothing to open: a bell, no crash
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LibraryDialog)


async def test_a_saved_pages_links_are_numbered_and_1_follows_the_first(make_app, data_dir):
    first, second = "https://example.org/attention", "https://example.org/transformers"
    for url, body in (
        (first, f"# Attention\n\nRead [the transformer paper]({second}) next.\n"),
        (second, "# Transformers\n\nEncoder and decoder.\n"),
    ):
        path = page_path(data_dir, url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\nurl: {url}\nsaved: 2026-11-20\ntitle: {url}\n---\n{body}")
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(120, 30)) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        reader._go(("saved", first))
        await pilot.pause()
        assert "1 link: 1-9 follow them" in " ".join(screen_text(app).split())
        await pilot.press("1")  # saved too: read offline, in the Reader
        await pilot.pause()
        assert reader.document_key == ("saved", second)
        assert "Encoder and decoder." in screen_text(app)
