"""Pick a Markdown file to read (`O` in the Reader): folders and Markdown files only."""

from collections.abc import Iterable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Static

from companion.content.local_links import MARKDOWN_SUFFIXES


class MarkdownTree(DirectoryTree):
    """Folders (hidden ones left out) and the Markdown files in them."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        for path in paths:
            if path.name.startswith("."):
                continue
            if path.is_dir() or path.suffix.lower() in MARKDOWN_SUFFIXES:
                yield path


class FilePicker(ModalScreen[Path | None]):
    """Dismissed with the chosen file, or None."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close"),
        Binding("backspace", "up", "Parent folder"),
    ]

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="decks-dialog"):
            yield Static(id="picker-folder")
            yield MarkdownTree(self.start, id="picker-tree")
            yield Static("enter open  backspace parent folder  escape close", id="confirm-keys")

    def on_mount(self) -> None:
        self._show_folder()
        self.query_one(MarkdownTree).focus()

    def _show_folder(self) -> None:
        self.query_one("#picker-folder", Static).update(f"Open a Markdown file from {self.start}")

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(event.path)

    def action_up(self) -> None:
        """Show the folder above."""
        self.start = self.start.parent
        self.query_one(MarkdownTree).path = self.start
        self._show_folder()

    def action_dismiss_none(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)
