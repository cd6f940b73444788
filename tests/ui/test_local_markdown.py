"""The Reader opens local Markdown (#15.9): relative links in roadmaps and files, a
`#heading` in them, `companion read FILE`, a file picker; back and forward across them all."""

from pathlib import Path

from textual.widgets import Markdown

from companion.cli.main import main
from companion.ui.app import CompanionApp
from companion.ui.dialogs.file_picker import FilePicker, MarkdownTree
from companion.ui.panes.reader import ReaderPane

from .helpers import screen_text, wait_for

SETUP = """# Setting up

Install Python first.

See [the notes, part two](../notes.md#part-two) and [a missing file](nowhere.md).
"""
NOTES = (
    "# Notes\n\n"
    + "".join(f"Line {n} of filler.\n\n" for n in range(60))
    + ("## Part two\n\nThe second part starts here.\n")
)


def write_files(data_dir: Path) -> tuple[Path, Path]:
    guides = data_dir / "guides"
    guides.mkdir()
    setup, notes = guides / "setup.md", data_dir / "notes.md"
    setup.write_text(SETUP)
    notes.write_text(NOTES)
    (data_dir / "roadmaps" / "local.md").write_text(
        "# Plan\n\n## Start\n\n- Get ready: [the setup guide](../guides/setup.md)\n"
    )
    return setup, notes


def click(app, href: str) -> None:
    markdown = app.screen.query_one(ReaderPane).query_one(Markdown)
    markdown.post_message(Markdown.LinkClicked(markdown, href))


async def test_relative_links_open_files_at_their_heading_with_back_and_forward(
    make_app, data_dir: Path
):
    setup, notes = write_files(data_dir)
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(110, 24), notifications=True) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        item = reader.document_key
        await pilot.press("1")  # the item's link: a file beside the roadmaps
        await pilot.pause()
        assert reader.document_key == ("file", str(setup.resolve()))
        assert "Install Python first." in screen_text(app)
        click(app, "../notes.md#part-two")
        assert await wait_for(pilot, lambda: reader.scroll_y > 0)
        assert reader.document_key == ("file", str(notes.resolve()))
        assert "The second part starts here." in screen_text(app)
        click(app, "nowhere.md")
        await pilot.pause()
        assert any("No such file" in str(n.message) for n in app._notifications)
        assert reader.document_key == ("file", str(notes.resolve()))  # stayed
        await pilot.press("b")
        await pilot.pause()
        assert reader.document_key == ("file", str(setup.resolve()))
        await pilot.press("b")
        await pilot.pause()
        assert reader.document_key == item
        await pilot.press("f", "f")
        await pilot.pause()
        assert reader.document_key == ("file", str(notes.resolve()))


async def test_read_opens_a_file_and_stays_on_it(make_app, data_dir: Path):
    setup, _ = write_files(data_dir)

    class Reading(CompanionApp):
        def __init__(self, **kwargs) -> None:
            super().__init__(**kwargs, read=setup)

    app = make_app(app_class=Reading, bundled=False)
    async with app.run_test(size=(110, 24)) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause(0.5)  # the Roadmap pane is built behind it meanwhile
        assert app.current_pane == "reader"
        assert reader.document_key == ("file", str(setup.resolve()))
        await pilot.press("c", "v")
        await pilot.pause()
        assert reader.document_key == ("file", str(setup.resolve()))


def test_read_refuses_a_file_it_cannot_show(tmp_path: Path, capsys):
    (tmp_path / "blob.md").write_bytes(b"\x00\x01binary")
    assert main(["--data-dir", str(tmp_path / "d"), "read", str(tmp_path / "blob.md")]) == 2
    assert main(["--data-dir", str(tmp_path / "d"), "read", str(tmp_path / "none.md")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "binary" in err[0] and "cannot read" in err[1]


async def test_the_file_picker_opens_a_markdown_file(make_app, data_dir: Path):
    setup, _ = write_files(data_dir)
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(110, 30)) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        await pilot.press("1")  # from setup.md, the picker starts in its folder
        await pilot.pause()
        await pilot.press("O")
        await pilot.pause(0.5)
        assert isinstance(app.screen, FilePicker)
        tree = app.screen.query_one(MarkdownTree)
        labels = [str(node.label) for node in tree.root.children]
        assert labels == ["setup.md"]
        await pilot.press("backspace")  # the data directory: folders and notes.md, no others
        await pilot.pause(0.5)
        labels = [str(node.label) for node in tree.root.children]
        assert "notes.md" in labels and "guides" in labels and "config.toml" not in labels
        tree.move_cursor(tree.root.children[labels.index("notes.md")])
        await pilot.press("enter")
        await pilot.pause()
        assert reader.document_key == ("file", str((data_dir / "notes.md").resolve()))


async def test_a_files_links_are_numbered_for_the_keyboard(make_app, data_dir: Path):
    setup, notes = write_files(data_dir)
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(110, 24)) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert reader.document_key == ("file", str(setup.resolve()))
        assert "2 links: 1-9 follow them" in " ".join(screen_text(app).split())
        await pilot.press("1")  # its first link: the notes, at part two
        assert await wait_for(pilot, lambda: reader.scroll_y > 0)
        assert reader.document_key == ("file", str(notes.resolve()))
