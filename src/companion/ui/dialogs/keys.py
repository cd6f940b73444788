"""The `?` dialog: every key, pane by pane."""

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = {
    "Everywhere": [
        ("d / m / v / c / t", "Today / Roadmap / Reader / Review (cards) / Timer"),
        ("tab / shift+tab", "next / previous pane"),
        ("p", "start or pause the focus timer"),
        ("ctrl+p", "command palette"),
        ("?", "this list"),
        ("q / ctrl+q", "quit (everything is already saved)"),
    ],
    "Today": [
        ("r", "start the reviews"),
        ("f / enter", "start a focus block on the item under the cursor"),
        ("↑ ↓", "choose among the next items"),
        ("b / B", "spread today's backlog over a week, most at risk first / put it back"),
    ],
    "Roadmap": [
        ("↑ ↓ / ← →", "move / fold"),
        ("enter", "read the item in the Reader"),
        ("x", "done (again: back to todo)"),
        ("w", "doing (again: back to todo)"),
        ("s", "skipped (again: back to todo)"),
        ("o", "back to todo"),
        ("h", "hide / show done and skipped items"),
        ("F", "only the items whose cards are fading / all"),
        ("n / E", "your notes on the item, in the app / in $EDITOR"),
        ("[ / ]", "previous / next roadmap"),
        ("L", "check every link now (also on start when stale)"),
    ],
    "Reader": [
        ("↑ ↓ pgup pgdn", "scroll"),
        ("1-9", "open link n: its saved copy, else the browser"),
        ("o / click", "open link 1 / a link in the browser"),
        ("s", "save the item's pages for offline reading"),
        ("l", "library: every saved page (open, save again, delete)"),
        ("O", "open a Markdown file from disk"),
        ("b / f", "back / forward"),
        ("T", "contents: jump to a heading"),
        ("/ then n / N", "search as you type, every match lit; next / previous"),
    ],
    "Review": [
        ("space / enter", "show the answer; after it, Good"),
        ("1 2 3 4", "Again, Hard, Good, Easy (each shows its interval)"),
        ("u", "undo the last answer, bury or suspend (many levels)"),
        ("-", "bury: hide the card until tomorrow"),
        ("!", "suspend the card (u to undo)"),
        ("e", "edit the card (its history is kept)"),
        ("i", "card info: state, stability, difficulty, history"),
        ("a", "write a card linked to the selected roadmap item"),
        ("s", "statistics: heatmap, retention, 30-day forecast"),
        ("W", "workload by desired retention (a simulated year)"),
        ("b", "card browser: search every card, suspend, bury, reset, delete"),
        ("D", "decks: on / off, study one deck, custom study"),
    ],
    "Card browser": [
        ("/", "search (deck: tag: is:due is:suspended prop:lapses>3 rated:7:1 ...)"),
        ("space / ctrl+a", "mark a card / every card found"),
        ("! / -", "suspend or unsuspend / bury or unbury"),
        ("n / N", "reset to new / forget (also zero the counts)"),
        ("x", "delete the note from its deck (history stays in the log)"),
        ("e / i / u", "edit / info / undo the last action"),
        ("o / O", "sort by the next column / reverse"),
    ],
    "Timer": [
        ("space / p", "start, pause, resume"),
        ("s", "skip to the next block (time focused so far is logged)"),
        ("r", "reset this block (asks first)"),
        ("+", "five more minutes"),
        ("i / I", "count an internal / external interruption"),
        ("l", "credit this block to the item selected in the Roadmap"),
        ("h", "study history: credit, correct, note or delete a block; u undoes"),
        ("c", "on a break: review cards"),
    ],
}


def section_table(sections: list[str]) -> Table:
    """The keys of some sections, one table."""
    table = Table(box=None, show_header=False, padding=(0, 1))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for section in sections:
        table.add_row(f"[b]{section}[/b]", "")
        for key, meaning in KEYS[section]:
            table.add_row(key, meaning)
        table.add_row("", "")
    return table


class KeysScreen(ModalScreen[None]):
    """Lists every key in two columns; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        columns = Table.grid(padding=(0, 3))
        columns.add_row(
            section_table(["Everywhere", "Roadmap", "Reader"]), section_table(["Review", "Timer"])
        )
        with VerticalScroll(id="keys-dialog"):
            yield Static("Keys", id="keys-title")
            yield Static(columns)
            yield Static("escape to close", id="keys-hint")
