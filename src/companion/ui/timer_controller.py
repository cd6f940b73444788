"""The timer in the app: keys, saving each transition, logging blocks, telling the learner."""

import os
from collections.abc import Callable
from datetime import datetime
from functools import partial

from textual.app import App

from companion.config import Settings
from companion.store import Store
from companion.store.errors import not_saved
from companion.store.study_log import BlockGone
from companion.timer.focus_timer import FinishedBlock, FocusTimer, Outcome, Phase, Status
from companion.timer.notifications import (
    choose_channels,
    osc_sequence,
    send_external,
    tmux_passes_through,
    tmux_passthrough_hint,
)
from companion.ui.dialogs.block_note import BlockNote
from companion.ui.dialogs.confirm import Confirm


def write_terminal(app: App, sequence: str) -> None:
    """Send an escape sequence (a desktop notification) to the real terminal, if any."""
    # Textual has no public call for raw output; App.bell writes through the driver too.
    if not app.is_headless and app._driver is not None:
        app._driver.write(sequence)


class TimerController:
    """Turns timer keys into saved transitions, and finished blocks into log entries."""

    def __init__(
        self,
        app: App,
        timer: FocusTimer,
        store: Store,
        settings: Settings,
        *,
        selected_item: Callable[[], str | None],
        item_title: Callable[[str | None], str | None],
        on_change: Callable[[], None],
        show_pane: Callable[[str], None],
        track_item: Callable[[str | None], None] = lambda item_id: None,
    ) -> None:
        """`app` shows notices and dialogs; the callbacks read the selection and redraw."""
        self.app = app
        self.timer = timer
        self.store = store
        self.settings = settings
        self.selected_item = selected_item
        self.item_title = item_title
        self.on_change = on_change
        self.show_pane = show_pane
        self.track_item = track_item
        """Keeps an item's identity when time is logged to it, so the time follows edits."""
        self.unlogged: list[dict] = []
        self.unsaved_notes: list[tuple[dict, str]] = []
        """Notes the learner wrote whose write failed: each with its block, tried again."""
        """Finished blocks not yet on disk (a full disk): written again at every tick."""
        self._warned = False
        self._hinted = False

    def _saved(self) -> None:
        self._write(lambda: self.store.save_timer(self.timer.state.to_dict()))
        self.on_change()

    def _write(self, write: Callable[[], object]) -> bool:
        """Run one write; on failure say so once (until a write succeeds again)."""
        try:
            write()
        except OSError as error:
            if not self._warned:
                self.app.notify(not_saved(error), severity="error", timeout=10)
            self._warned = True
            return False
        self._warned = False
        return True

    def toggle(self) -> None:
        """Start, pause or resume; a block started now counts for the item selected now (not
        the one the previous block counted for, chosen before the learner moved on)."""
        if self.timer.state.status is Status.IDLE:
            self.timer.set_item(self.selected_item() or self.timer.state.item_id)
        self.timer.toggle(self.timer.state.item_id)
        self._saved()

    def skip(self) -> None:
        """End the block now; time already focused is logged as a skipped block."""
        block = self.timer.skip()
        if block is not None:
            self._log(block)
        self.app.notify(f"Skipped to: {self.timer.state.phase.label}.", timeout=3)
        self._saved()

    def reset(self) -> None:
        """Back to the start of this block; asks first when time would be lost."""
        if self.timer.elapsed() < 1:
            self.timer.reset()
            self._saved()
            return
        minutes = self.timer.elapsed() / 60

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.timer.reset()
                self._saved()

        self.app.push_screen(
            Confirm(f"Reset this block? {minutes:.0f} min counted so far will not be logged."),
            confirmed,
        )

    def extend(self) -> None:
        """Five more minutes."""
        self.timer.extend(5)
        self._saved()

    def interrupt(self, external: bool) -> None:
        """Count an interruption of the focus block."""
        if self.timer.interrupt(external):
            kind = "external" if external else "internal"
            self.app.notify(f"Noted an {kind} interruption.", timeout=2)
            self._saved()
        else:
            self.app.notify("Interruptions are counted during a focus block.", timeout=3)

    def credit_selected(self) -> None:
        """Credit the current block to the item selected in the Roadmap pane."""
        selected = self.selected_item()
        self.timer.set_item(selected)
        title = self.item_title(selected) or "no item"
        self.app.notify(f"This block now counts for: {title}", timeout=3)
        self._saved()

    def tick(self) -> None:
        """Finish every block whose time is up (several, after a long absence with auto-start)."""
        jump = self.timer.follow_clock()
        if jump and self.timer.state.status is not Status.IDLE:
            direction = "forward" if jump > 0 else "back"
            self.app.notify(
                f"The system clock moved {direction} by {_duration(abs(jump))}; the block "
                "counts only the time that really passed.",
                severity="warning",
            )
            self._saved()
        finished = []
        while (block := self.timer.poll()) is not None and len(finished) < 50:
            finished.append(block)
            self._log(block)
        self._flush_unlogged()
        self._flush_notes()
        if finished:
            # The next block, started by itself or not yet, counts for the item selected now.
            self.timer.set_item(self.selected_item() or self.timer.state.item_id)
            self._saved()
            self._announce(finished[-1], len(finished))

    def _log(self, block: FinishedBlock) -> None:
        record = block.to_log()
        record["item_title"] = self.item_title(block.item_id)
        record["note"] = ""
        self.unlogged.append(record)
        self._flush_unlogged()

    def _flush_unlogged(self) -> None:
        while self.unlogged and self._write(lambda: self.store.log_block(self.unlogged[0])):
            block = self.unlogged.pop(0)
            if block.get("phase") == "focus" and block.get("minutes"):
                item_id = block.get("item_id")
                self._write(lambda: self.track_item(item_id))  # noqa: B023 - called at once

    def _announce(self, block: FinishedBlock, count: int) -> None:
        settings = self.settings
        if block.outcome is Outcome.ABANDONED:
            self.app.notify(
                "A block ended over an hour ago while companion was closed; it was "
                "logged as abandoned.",
                severity="warning",
                timeout=8,
            )
            return
        if block.phase is Phase.FOCUS:
            title, body = "Focus block done", f"{block.minutes:.0f} min logged. Time for a break."
        else:
            title, body = "Break over", "Press p to start the next focus block."
        self.app.notify(body, title=title, timeout=8)
        if settings.notify_bell:
            self.app.bell()
        if settings.notify_desktop:
            self.app.run_worker(
                partial(self._desktop, title, body), thread=True, group="desktop-notify"
            )
        if block.phase is Phase.FOCUS and count == 1:
            if settings.open_review_on_break:
                self.show_pane("review")
            self.app.push_screen(BlockNote(block.minutes), partial(self._noted, block.to_log()))

    def _noted(self, block: dict, note: str | None) -> None:
        """Attach the note to the block it was asked for, found by its start, not to whatever
        block is latest by then (another may have ended while the question was open)."""
        if note:
            self.unsaved_notes.append((block, note))
            self._flush_notes()

    def _flush_notes(self) -> None:
        while self.unsaved_notes:
            block, note = self.unsaved_notes[0]
            waiting = next((b for b in self.unlogged if _same_block(b, block)), None)
            if waiting is not None:  # its block is not written yet: the note goes with it
                waiting["note"] = note
            else:
                try:
                    if not self._write(lambda: self.store.change_block(block, {"note": note})):  # noqa: B023
                        return  # kept, and tried again on the next tick
                except BlockGone:
                    self.app.notify(
                        f"Note not attached, its block was deleted from the history: {note}",
                        severity="warning",
                        timeout=15,
                    )
            self.unsaved_notes.pop(0)
            self.on_change()

    def left_unsaved(self) -> list[str]:
        """Try the writes still waiting once more (the app is closing); one line for each
        block or note that still could not be written, for the learner to keep."""
        self._flush_unlogged()
        self._flush_notes()
        lines = []
        for block in self.unlogged:
            item = block.get("item_title") or "no item"
            note = f", note: {block['note']}" if block.get("note") else ""
            lines.append(
                f"{block.get('phase')} block of {block.get('minutes', 0):.0f} min from "
                f"{_when(block)} for {item}{note}"
            )
        lines += [
            f"note for the block from {_when(block)}: {note}" for block, note in self.unsaved_notes
        ]
        return lines

    def _desktop(self, title: str, body: str) -> None:
        """Try each channel in turn; a terminal sequence is written by the app's own driver."""
        channels = choose_channels(os.environ)
        hint = tmux_passthrough_hint(os.environ, channels)
        if hint and not self._hinted and not tmux_passes_through():
            self._hinted = True  # said once a sitting
            self.app.call_from_thread(self.app.notify, hint, timeout=12)
        for channel in channels:
            if channel.startswith("osc"):
                sequence = osc_sequence(channel, title, body, in_tmux=bool(os.environ.get("TMUX")))
                self.app.call_from_thread(write_terminal, self.app, sequence)
                return
            if send_external(channel, title, body):
                return

    @property
    def running(self) -> bool:
        """Whether a block is counting."""
        return self.timer.state.status is Status.RUNNING


def _when(block: dict) -> str:
    return f"{datetime.fromtimestamp(block.get('started_at', 0)).astimezone():%a %d %b %H:%M}"


def _same_block(one: dict, other: dict) -> bool:
    return (one.get("phase"), one.get("started_at")) == (
        other.get("phase"),
        other.get("started_at"),
    )


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"
