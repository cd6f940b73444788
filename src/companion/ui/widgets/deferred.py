"""A stand-in that builds its widget after the screen's first frame, then takes its place."""

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.widget import Widget


class Deferred(Widget):
    """Holds a hidden tab's place so the pane on show is painted first.

    Unlike `textual.lazy.Lazy`, which takes a widget already built, this takes a function, so
    the pane's module (the Reader's Markdown widget, say) is not even imported before the
    first frame.
    """

    DEFAULT_CSS = "Deferred { display: none; }"

    @dataclass
    class Built(Message):
        """The widget is built and mounted in the stand-in's place (posted to its parent)."""

        widget: Widget

    def __init__(self, build: Callable[[], Widget]) -> None:
        super().__init__()
        self._build = build

    def on_mount(self) -> None:
        self.call_after_refresh(self._replace)

    async def _replace(self) -> None:
        parent = self.parent
        if parent is None or not self.is_attached:
            return
        widget = self._build()
        await parent.mount(widget, after=self)
        await self.remove()
        parent.post_message(self.Built(widget))
