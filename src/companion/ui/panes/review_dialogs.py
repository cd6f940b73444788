"""The Review pane's way to the card browser and the deck chooser: opening them with what they
need, and rebuilding the queue when they close (cards may have changed in every way)."""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll

from companion.config import Settings
from companion.content.loader import Library
from companion.services.review import reconcile
from companion.services.study_session import refresh_queue, study_presets
from companion.srs.review_session import ReviewSession
from companion.store import Store
from companion.ui.panes.card_writing import CardWriting

if TYPE_CHECKING:  # a mixin of the Review pane: typed as the widget it is mixed into
    _Pane = VerticalScroll
else:  # at run time a plain class, so it adds no CSS or flags of a widget of its own
    _Pane = object


class OtherCardsDialogs(_Pane):
    """Mixed into the Review pane, which holds the session and draws the card."""

    library: Library
    store: Store
    settings: Settings
    session: ReviewSession | None
    writing: CardWriting
    orphans: set[str]
    last_leech: str | None
    show_info: Callable[[str], None]
    _now: Callable[[], datetime]
    _next: Callable[[datetime], None]
    _changed: Callable[[], None]
    _read_scope: Callable[[], None]

    # -- the card browser ---------------------------------------------------
    def action_browse(self, query: str = "") -> None:
        """Open the card browser; right after a leech, on the leeches, at that card."""
        from companion.ui.dialogs.card_browser import BrowserHooks, CardBrowser

        if self.session is None:
            return
        select = self.last_leech
        if select is not None and not query:
            query = "is:leech"
        self.last_leech = None
        hooks = BrowserHooks(
            self._edit_from_browser,
            self.show_info,
            self._now,
            lambda: self.session.queue.buried_siblings if self.session else frozenset(),
            lambda ids: self.session.queue.release_siblings(ids) if self.session else None,
        )
        browser = CardBrowser(self.library, self.store, set(self.orphans), hooks, query, select)
        self.app.push_screen(browser, self._browser_closed)

    def _edit_from_browser(self, card_id: str) -> None:
        card = self.library.cards.get(card_id)
        if card is not None:
            self.writing.edit(card)

    def _browser_closed(self, _: None) -> None:
        """Cards may have changed in every way: the queue and the counts are built again."""
        assert self.session is not None
        self.orphans = set(reconcile(self.library, self.store).orphans)
        refresh_queue(self.session, self.library, self.store, self.settings, self._now())
        current = self.session.current
        if (
            current is None
            or not self.store.ledger.record(current).available(self._now().timestamp())
            or current not in self.library.cards
            or current in self.session.queue.buried_siblings
        ):
            self._next(self._now())
        self._changed()

    # -- which decks --------------------------------------------------------
    def action_decks(self) -> None:
        """Choose what to study: decks on or off, one deck, or a custom study search."""
        from companion.ui.dialogs.decks import DecksDialog

        if self.session is None:
            return
        item_id = self.app.selected_item_id  # type: ignore[attr-defined]
        presets = study_presets(self.library, item_id)
        self.app.push_screen(
            DecksDialog(self.library, self.store, self.settings, self._now, presets),
            self._decks_closed,
        )

    def _decks_closed(self, changed: bool | None) -> None:
        assert self.session is not None
        if not changed:
            return
        self._read_scope()
        refresh_queue(self.session, self.library, self.store, self.settings, self._now())
        self._next(self._now())
        self._changed()
