"""Typed answers in the Review pane, as Anki's type-in cards: the question offers a box, enter
shows the answer with what was typed compared to it; the grade keys then work as ever."""

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from companion.content.deck import Card
from companion.content.typed_answer import answer_text, compare, is_right
from companion.text import clean_text

if TYPE_CHECKING:  # a mixin of the Review pane: typed as the widget it is mixed into
    _Pane = VerticalScroll
else:  # at run time a plain class, so it adds no CSS or flags of a widget of its own
    _Pane = object

STYLES = {"good": "green", "bad": "bold red strike", "missed": "dim underline"}


class TypedAnswers(_Pane):
    """Mixed into the Review pane, which reveals the card and draws it."""

    revealed: bool
    typed_answer: str | None = None

    def typing_box(self) -> Input:
        return Input(
            placeholder="Type the answer, then enter (empty: just show it)", id="review-typed"
        )

    def show_typing(self, card: Card | None) -> None:
        """The box on a typed card's question (focused); the comparison once revealed."""
        box = self.query_one("#review-typed", Input)
        compared = self.query_one("#review-compare", Static)
        asking = card is not None and card.typed and not self.revealed
        if asking and not box.display:
            box.value = ""
        box.display = asking
        if asking:
            box.focus()
        elif box.has_focus:
            self.focus()
        shown = card is not None and card.typed and self.revealed and bool(self.typed_answer)
        compared.display = shown
        if shown:
            compared.update(self.comparison(self.typed_answer or "", answer_text(card.back)))

    @staticmethod
    def comparison(typed: str, expected: str) -> Text:
        """What was typed, marked against the answer, and the answer."""
        line = Text("You typed  ", "dim")
        for kind, piece in compare(clean_text(typed), expected):
            line.append(clean_text(piece), STYLES[kind])
        if is_right(typed, expected):
            line.append("   ✓ exactly", "bold green")
        return line

    def on_focus(self) -> None:
        """Coming to the pane on a typed question: the keys go to the box, not to the pane
        (whose letters edit, bury, suspend)."""
        box = self.query_one("#review-typed", Input)
        if box.display:
            box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "review-typed":
            return
        event.stop()
        self.typed_answer = event.value
        self.revealed = True
        self._show()  # type: ignore[attr-defined]
        self.focus()
