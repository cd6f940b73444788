"""The card editor behind `a` and `e` in the Review pane: the learner's text reaches a deck,
or comes back in front of them with the reason it did not."""

from collections.abc import Callable

from textual.app import App

from companion.content.deck import Card
from companion.content.loader import Library
from companion.services.card_writing import CardNotFound, add_card, edit_card
from companion.store import Store
from companion.store.errors import not_saved
from companion.text import size_words

MAX_EDITED_CHARS = 200_000  # the editor lays out every line of what it holds

Written = tuple[str, str] | None


class CardWriting:
    """Opens the editor and saves what it returns; a failed save reopens it with the text."""

    def __init__(
        self,
        app: App,
        library: Library,
        store: Store,
        *,
        selected_item: Callable[[], str | None],
        item_title: Callable[[str | None], str | None],
        on_added: Callable[[list[Card]], None],
        on_edited: Callable[[list[Card]], None],
    ) -> None:
        """The callbacks read the roadmap selection and hear of the cards written."""
        self.app = app
        self.library = library
        self.store = store
        self.selected_item = selected_item
        self.item_title = item_title
        self.on_added = on_added
        self.on_edited = on_edited

    def add(self) -> None:
        """Write a new card, linked to the roadmap item selected."""
        title = self.item_title(self.selected_item())
        context = f"Linked to: {title}" if title else "Not linked to a roadmap item"
        self._open("New card", ("", ""), context, lambda result: self._add(context, result))

    def _add(self, context: str, result: Written) -> None:
        if result is None:
            return
        try:
            cards = add_card(self.library, self.store, *result, self.selected_item())
        except OSError as error:
            self._reopen(error, "New card", result, context, lambda r: self._add(context, r))
            return
        self.on_added(cards)

    def edit(self, card: Card) -> None:
        """Edit a card; its review history stays with it."""
        text = (
            (card.cloze_text, card.extra)
            if card.cloze_text is not None
            else (card.front, card.back)
        )
        context = f"{card.source}:{card.line}"
        size = sum(map(len, text))
        if size > MAX_EDITED_CHARS:
            self.app.notify(
                f"This card is {size_words(size)}, too large to edit here: edit {context} "
                "in a text editor.",
                severity="warning",
            )
            return
        self._open("Edit card", text, context, lambda result: self._edit(card.id, context, result))

    def _edit(self, card_id: str, context: str, result: Written) -> None:
        if result is None:
            return
        card = self.library.cards.get(card_id)
        if card is None:
            self._changed_on_disk(context, result)
            return
        try:
            new_cards = edit_card(self.library, self.store, card, *result)
        except CardNotFound:
            self._changed_on_disk(context, result)
            return
        except OSError as error:
            retry = lambda again: self._edit(card_id, context, again)  # noqa: E731
            self._reopen(error, "Edit card", result, context, retry)
            return
        self.on_edited(new_cards)

    def _changed_on_disk(self, context: str, text: tuple[str, str]) -> None:
        """The card left its deck while being edited: nothing was written; the learner's text
        comes back, to add as a new card or to drop."""
        self.app.notify(
            f"Not saved: {context.rsplit(':', 1)[0]} changed on disk and no longer holds this "
            "card as shown. Your text is back: ctrl+s adds it as a new card, escape drops it.",
            severity="error",
            timeout=15,
        )
        self._open("New card", text, context, lambda result: self._add(context, result))

    def _reopen(
        self,
        error: OSError,
        title: str,
        text: tuple[str, str],
        context: str,
        then: Callable[[Written], None],
    ) -> None:
        """Say the card was not saved and put the learner's text back in front of them."""
        self.app.notify(not_saved(error), severity="error", timeout=10)
        self._open(title, text, context, then)

    def _open(
        self, title: str, text: tuple[str, str], context: str, then: Callable[[Written], None]
    ) -> None:
        from companion.ui.dialogs.card_editor import CardEditor  # TextArea: slow to import

        self.app.push_screen(CardEditor(title, *text, context=context), then)
