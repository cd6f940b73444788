"""The card browser (`b`): every card in a table, Anki's search words, and actions on the
cards marked (or the one under the cursor). Full screen, like Anki's Browse window."""

from collections.abc import Callable, Set
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from companion.content.latex import render_math
from companion.content.loader import Library
from companion.services.card_browser import (
    browser_rows,
    delete_cards,
    query_context,
    reset_cards,
    set_buried,
    set_suspended,
    unbury_siblings,
    undo_last_change,
    when_due,
)
from companion.srs.card_query import SORT_KEYS, CardRow, QueryError, search
from companion.srs.scheduling import format_interval
from companion.store import Store
from companion.store.errors import not_saved
from companion.text import plural
from companion.ui.safe_text import plain

FRONT_WIDTH = 44
CHUNK = 150  # rows drawn at a time; more as the cursor nears the end of them
COLUMNS = ("", "front", "deck", "state", "due", "interval", "lapses", "tags")
STATE_STYLES = {
    "new": "blue",
    "learning": "red",
    "review": "green",
    "suspended": "yellow",
    "buried": "dim",
    "orphaned": "magenta",
}


@dataclass
class BrowserHooks:
    """What the browser asks of the Review pane: edit and show info for one card."""

    edit: Callable[[str], None]
    info: Callable[[str], None]
    now: Callable[[], datetime]
    buried_siblings: Callable[[], Set[str]] = frozenset
    """The cards the review queue holds back today for a sibling answered (shown as buried)."""
    release_siblings: Callable[[list[str]], None] = lambda card_ids: None
    """Let such cards through today after all (the learner unburied them)."""


class CardTable(DataTable):
    """The table; the browser's action keys live here, so typing a search never fires one."""

    BINDINGS = [
        Binding("space", "screen.mark", "Mark"),
        Binding("ctrl+a", "screen.mark_all", "Mark all"),
        Binding("e", "screen.edit", "Edit"),
        Binding("exclamation_mark", "screen.suspend", "Suspend"),
        Binding("minus", "screen.bury", "Bury"),
        Binding("n", "screen.reset(False)", "Reset"),
        Binding("N", "screen.reset(True)", "Forget"),
        Binding("x,delete", "screen.delete", "Delete"),
        Binding("i", "screen.info", "Info"),
        Binding("u", "screen.undo", "Undo"),
        Binding("o", "screen.sort(1)", "Sort"),
        Binding("O", "screen.reverse", "Reverse", show=False),
        Binding("slash", "screen.focus_search", "Search"),
        Binding("end", "screen.last", "Last", show=False),
    ]


class CardBrowser(ModalScreen[None]):
    """Find, look at and manage any card, the orphaned ones included."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(
        self,
        library: Library,
        store: Store,
        orphans: set[str],
        hooks: BrowserHooks,
        query: str = "",
        select: str | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.store = store
        self.orphans = orphans
        self.hooks = hooks
        self.initial_query = query
        self.select = select
        self.rows: list[CardRow] = []
        self.found: list[CardRow] = []
        self.marked: set[str] = set()
        self.sort_column = "due"
        self.descending = False
        self.problem = ""
        self.drawn = 0
        """How many rows of `found` the table holds."""
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="browser"):
            yield Input(
                self.initial_query,
                placeholder="Search: deck:ml tag:math is:due is:suspended prop:lapses>3 "
                "rated:7:1 or free text",
                id="browser-search",
            )
            yield CardTable(id="browser-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="browser-status")
            yield Static(
                Text(
                    "/ search  space mark  e edit  ! suspend  - bury  n reset  N forget  "
                    "x delete  i info  u undo  o sort  escape close",
                    "dim",
                ),
                id="browser-keys",
            )

    def on_mount(self) -> None:
        table = self.query_one(CardTable)
        for column in COLUMNS:
            table.add_column(column.title() if column else "", key=column or "mark")
        table.focus()
        self.query_one("#browser-status", Static).update(Text("Reading every deck…", "dim"))
        self._load_rows()

    @work(thread=True, exclusive=True, group="browser-rows")
    def _load_rows(self) -> None:
        rows = browser_rows(
            self.library, self.store, self.hooks.now(), self.orphans, self.hooks.buried_siblings()
        )
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows: list[CardRow]) -> None:
        self.rows = rows
        self._run_search()

    def on_screen_resume(self) -> None:
        """Back from the editor or the info dialog: the card may have changed."""
        if self.rows:
            self._load_rows()

    # -- search ---------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.15, self._run_search)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._run_search()
        self.query_one(CardTable).focus()

    def _run_search(self) -> None:
        query = self.query_one("#browser-search", Input).value
        context = query_context(self.library, self.store, self.hooks.now())
        try:
            found = search(self.rows, query, context)
        except QueryError as error:
            self.problem = str(error)
            self._show_status()
            return
        self.problem = ""
        found.sort(key=SORT_KEYS[self.sort_column], reverse=self.descending)
        self.found = found
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(CardTable)
        cursor = self._cursor_id() or self.select
        table.clear()
        self.drawn = 0
        position = next((i for i, r in enumerate(self.found) if r.card_id == cursor), None)
        self._draw_more(CHUNK if position is None else position + CHUNK)
        if position is not None:
            table.move_cursor(row=position)
            self.select = None
        self._show_status()

    def _draw_more(self, count: int = CHUNK) -> None:
        """Draw the next rows found (a search draws its first ones; the rest come as the
        cursor nears the end of what is drawn)."""
        table = self.query_one(CardTable)
        now = self.hooks.now()
        for row in self.found[self.drawn : self.drawn + count]:
            table.add_row(*self._cells(row, now), key=row.card_id)
        self.drawn = min(len(self.found), self.drawn + count)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.drawn - 10 and self.drawn < len(self.found):
            self._draw_more()

    def _cells(self, row: CardRow, now: datetime) -> list[Text]:
        front = " ".join(render_math(row.front).split())
        interval = "—" if row.interval_days is None else format_interval_days(row.interval_days)
        return [
            Text("●" if row.card_id in self.marked else " ", "bold yellow"),
            plain(_cut(front, FRONT_WIDTH)),
            plain(_cut(row.deck, 22)),
            Text(row.state + (" (leech)" if row.leech else ""), STATE_STYLES[row.state]),
            Text(when_due(row, now)),
            Text(interval),
            Text(str(row.lapses)),
            plain(_cut(" ".join(row.tags), 20)),
        ]

    def _show_status(self) -> None:
        status = Text()
        if self.problem:
            status.append(f"Search: {self.problem}", "bold red")
        else:
            status.append(f"{plural(len(self.found), 'card')} of {len(self.rows)}")
            arrow = "↓" if self.descending else "↑"
            status.append(f" │ sorted by {self.sort_column} {arrow}", "dim")
            if self.marked:
                status.append(f" │ {len(self.marked)} marked", "bold yellow")
        self.query_one("#browser-status", Static).update(status)

    # -- which cards an action is for -------------------------------------------
    def _cursor_id(self) -> str | None:
        table = self.query_one(CardTable)
        if not table.row_count:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return key.value

    def _targets(self) -> list[str]:
        if self.marked:
            return [row.card_id for row in self.rows if row.card_id in self.marked]
        cursor = self._cursor_id()
        return [cursor] if cursor else []

    def _changed(self, message: str) -> None:
        self.notify(message, timeout=3)
        self.marked.clear()
        self._load_rows()

    def _write(self, change: Callable[[], int], done: str) -> None:
        try:
            count = change()
        except OSError as error:
            self.notify(not_saved(error), severity="error", timeout=10)
            return
        self._changed(f"{plural(count, 'card')} {done} (u to undo).")

    # -- actions ----------------------------------------------------------------
    def action_close(self) -> None:
        """Close the browser."""
        self.dismiss(None)

    def action_focus_search(self) -> None:
        """Type a search."""
        self.query_one("#browser-search", Input).focus()

    def action_last(self) -> None:
        """To the last card found (drawing every row still undrawn)."""
        self._draw_more(len(self.found))
        table = self.query_one(CardTable)
        if table.row_count:
            table.move_cursor(row=table.row_count - 1)

    def action_mark(self) -> None:
        """Mark or unmark the card under the cursor, then move down."""
        card_id = self._cursor_id()
        if card_id is None:
            return
        self.marked ^= {card_id}
        table = self.query_one(CardTable)
        table.update_cell(
            card_id, "mark", Text("●" if card_id in self.marked else " ", "bold yellow")
        )
        table.action_cursor_down()
        self._show_status()

    def action_mark_all(self) -> None:
        """Mark every card the search matches (all of them, not only those drawn)."""
        every = {row.card_id for row in self.found}
        self.marked = set() if every <= self.marked else every
        self._fill()

    def action_edit(self) -> None:
        """Edit the card under the cursor."""
        card_id = self._cursor_id()
        if card_id is not None and card_id in self.library.cards:
            self.hooks.edit(card_id)
        elif card_id is not None:
            self.notify("An orphaned card is in no deck: there is nothing to edit.")

    def action_info(self) -> None:
        """Show the state and history of the card under the cursor."""
        card_id = self._cursor_id()
        if card_id is not None:
            self.hooks.info(card_id)

    def action_suspend(self) -> None:
        """Suspend the cards, or unsuspend them when all already are."""
        targets = self._targets()
        on = not all(self.store.ledger.record(cid).suspended for cid in targets)
        word = "suspended" if on else "unsuspended"
        self._write(lambda: set_suspended(self.store, targets, on), word)

    def action_bury(self) -> None:
        """Bury the cards until tomorrow, or unbury them when all already are."""
        targets = self._targets()
        now = self.hooks.now()
        states = {row.card_id: row.state for row in self.rows}
        on = not all(states.get(cid) == "buried" for cid in targets)
        word = "buried until tomorrow" if on else "unburied"
        held = [cid for cid in targets if cid in self.hooks.buried_siblings()]
        if not on and held:
            # Held back by the queue for a sibling answered today, not by a bury of their own:
            # unburied as in Anki, and the queue lets them through at once.
            def unbury() -> int:
                done = unbury_siblings(self.store, held, now)
                self.hooks.release_siblings(held)
                others = [cid for cid in targets if cid not in held]
                return done + set_buried(self.store, others, False, now)

            self._write(unbury, word)
            return
        self._write(lambda: set_buried(self.store, targets, on, now), word)

    def action_reset(self, clear_counts: bool) -> None:
        """Make the cards new again; N (forget) also zeroes their review and lapse counts."""
        targets = self._targets()
        word = "forgotten (new, counts at 0)" if clear_counts else "reset to new"
        self._write(lambda: reset_cards(self.store, targets, clear_counts), word)

    def action_undo(self) -> None:
        """Undo the last change (a whole action at once)."""
        try:
            undone = undo_last_change(self.store)
        except OSError as error:
            self.notify(not_saved(error), severity="error", timeout=10)
            return
        if undone:
            self._changed(f"Undone ({plural(undone, 'card')}).")
        else:
            self.notify("Nothing to undo.", timeout=2)

    def action_delete(self) -> None:
        """Delete the notes of the cards, after a confirmation; their history stays."""
        from companion.ui.dialogs.confirm import Confirm

        targets = self._targets()
        if not targets:
            return
        question = (
            f"Delete {plural(len(targets), 'card')} from your decks? A cloze sentence goes "
            "with all its cards. Their history stays in the review log; this cannot be undone."
        )

        def then(yes: bool | None) -> None:
            if not yes:
                return
            try:
                problems = delete_cards(self.library, self.store, targets)
            except OSError as error:
                self.notify(not_saved(error), severity="error", timeout=10)
                return
            for problem in problems:
                self.notify(problem, severity="error", timeout=10)
            self.orphans -= set(targets)
            self._changed(f"Deleted {plural(len(targets) - len(problems), 'card')}.")

        self.app.push_screen(Confirm(question), then)

    def action_sort(self, step: int) -> None:
        """Sort by the next column."""
        names = list(SORT_KEYS)
        self.sort_column = names[(names.index(self.sort_column) + step) % len(names)]
        self._run_search()

    def action_reverse(self) -> None:
        """Reverse the order."""
        self.descending = not self.descending
        self._run_search()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key in SORT_KEYS:
            self.descending = not self.descending if key == self.sort_column else False
            self.sort_column = key
            self._run_search()


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_interval_days(days: float) -> str:
    """An interval in days as the review pane writes it (10m, 3d, 2.1mo)."""
    return format_interval(timedelta(days=days))
