"""The Decks dialog (`d` in Review): which decks to study, each deck on or off, and custom
study sessions (Anki's filtered decks) from a search or a preset."""

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from companion.config import Settings
from companion.content.loader import Library
from companion.services.study_session import (
    DeckSummary,
    StudyScope,
    check_search,
    deck_summaries,
    load_scope,
    save_scope,
    switch_deck,
)
from companion.srs.card_query import QueryError
from companion.store import Store
from companion.store.errors import not_saved
from companion.text import plural
from companion.ui.safe_text import plain


class DeckTable(DataTable):
    """The decks; the dialog's keys live here, so typing a search never fires one."""

    BINDINGS = [
        Binding("space", "screen.toggle", "On/off"),
        Binding("enter", "screen.study_deck", "Study this deck"),
        Binding("a", "screen.study_all", "All decks"),
        Binding("c", "screen.custom", "Custom study"),
    ]


class DecksDialog(ModalScreen[bool]):
    """Dismissed with True when what to study changed."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(
        self,
        library: Library,
        store: Store,
        settings: Settings,
        now: Callable[[], datetime],
        presets: list[tuple[str, str]],
    ) -> None:
        """`presets` are (words, search) pairs offered for custom study."""
        super().__init__()
        self.library = library
        self.store = store
        self.settings = settings
        self.now = now
        self.presets = presets
        self.summaries: list[DeckSummary] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="decks-dialog"):
            yield Static(id="decks-scope")
            yield DeckTable(id="decks-table", cursor_type="row")
            with Vertical(id="custom-study"):
                yield Static(self._preset_words(), id="custom-presets")
                yield Input(
                    placeholder="a search, e.g. rated:7:1 or deck:ml is:review", id="custom-search"
                )
            yield Static(id="decks-problem")
            yield Static(
                Text(
                    "space on/off  enter study this deck  a all decks  c custom study  "
                    "escape close",
                    "dim",
                )
            )

    def _preset_words(self) -> Text:
        text = Text("Custom study: type a search, or a number for a preset\n", "bold")
        for number, (words, query) in enumerate(self.presets, 1):
            text.append(f"  {number}  ", "bold cyan")
            text.append_text(plain(f"{words}   ({query})\n"))
        return text

    def on_mount(self) -> None:
        table = self.query_one(DeckTable)
        for column in ("On", "Deck", "New", "Learning", "Due", "Cards", "Limits"):
            table.add_column(column, key=column.lower())
        self.query_one("#custom-study").display = False
        self._show_scope()
        table.focus()
        self._load()

    @work(thread=True, exclusive=True, group="deck-summaries")
    def _load(self) -> None:
        summaries = deck_summaries(self.library, self.store, self.settings, self.now())
        self.app.call_from_thread(self._fill, summaries)

    def _fill(self, summaries: list[DeckSummary]) -> None:
        self.summaries = summaries
        table = self.query_one(DeckTable)
        row = table.cursor_row
        table.clear()
        for deck in summaries:
            table.add_row(
                Text("✓", "green") if deck.on else Text("✗ off", "red"),
                plain(deck.name),
                Text(str(deck.new), "blue"),
                Text(str(deck.learning), "red"),
                Text(str(deck.due), "green"),
                Text(str(deck.cards)),
                plain(deck.limits or "—"),
                key=deck.name,
            )
        if summaries:
            table.move_cursor(row=min(row, len(summaries) - 1))

    def _show_scope(self) -> None:
        scope = load_scope(self.store)
        self.query_one("#decks-scope", Static).update(
            Text.assemble(("Studying: ", "bold"), (scope.describe(), "bold cyan"))
        )

    def _deck(self) -> DeckSummary | None:
        table = self.query_one(DeckTable)
        if not self.summaries or table.cursor_row >= len(self.summaries):
            return None
        return self.summaries[table.cursor_row]

    def _save(self, write: Callable[[], None]) -> bool:
        try:
            write()
        except OSError as error:
            self.notify(not_saved(error), severity="error", timeout=10)
            return False
        self.changed = True
        return True

    # -- actions ----------------------------------------------------------------
    def action_toggle(self) -> None:
        """Switch the deck under the cursor on or off (remembered)."""
        deck = self._deck()
        if deck is not None and self._save(lambda: switch_deck(self.store, deck.name, not deck.on)):
            self._load()

    def action_study_deck(self) -> None:
        """Study only the deck under the cursor (and its subdecks)."""
        deck = self._deck()
        if deck is None:
            return
        if not deck.on:
            self._problem(f"{deck.name} is switched off: space switches it on first.")
            return
        if self._save(lambda: save_scope(self.store, StudyScope("deck", deck.name))):
            self.dismiss(True)

    def action_study_all(self) -> None:
        """Study every deck that is on."""
        if self._save(lambda: save_scope(self.store, StudyScope())):
            self.dismiss(True)

    def action_custom(self) -> None:
        """Start a custom study session from a search."""
        self.query_one("#custom-study").display = True
        self.query_one("#custom-search", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        if value.isdigit() and 1 <= int(value) <= len(self.presets):
            event.input.value = self.presets[int(value) - 1][1]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if not query:
            return
        try:
            found = check_search(self.library, self.store, query, self.now())
        except QueryError as error:
            self._problem(f"Search: {error}")
            return
        if not found:
            self._problem("No card matches that search (suspended and buried ones are left out).")
            return
        if self._save(lambda: save_scope(self.store, StudyScope("search", query))):
            self.notify(f"Custom study: {plural(found, 'card')}.", timeout=3)
            self.dismiss(True)

    def _problem(self, message: str) -> None:
        self.query_one("#decks-problem", Static).update(plain(message, "bold red"))

    def action_close(self) -> None:
        """Close; the Review pane rebuilds its queue if decks were switched."""
        if self.query_one("#custom-search", Input).has_focus:
            self.query_one("#custom-study").display = False
            self.query_one(DeckTable).focus()
            return
        self.dismiss(self.changed)
