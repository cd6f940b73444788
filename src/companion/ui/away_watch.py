"""Time away is not work: back from an absence that fell in a focus block, the learner is
asked whether it was study, instead of it all being logged."""

from datetime import datetime

from textual.app import App

from companion.config import Settings
from companion.store import Store
from companion.store.errors import not_saved
from companion.store.study_log import BlockGone
from companion.text import plural
from companion.timer.away import Away, PresenceWatch, overlap
from companion.timer.focus_timer import FocusTimer, Phase, Status
from companion.ui.dialogs.confirm import Confirm


class AwayWatch:
    """Watches the learner's input (`noticed_input` on every key or click)."""

    def __init__(self, app: App, timer: FocusTimer, store: Store, settings: Settings) -> None:
        self.app = app
        self.timer = timer
        self.store = store
        self.settings = settings
        self.presence = PresenceWatch(timer.clock(), timer.steady())
        self._asking = False

    def noticed_input(self) -> None:
        """An input now: if it ends an absence that took focus time, ask about that time."""
        away = self.presence.returned(
            self.timer.clock(), self.timer.steady(), self.settings.idle_minutes * 60
        )
        if away is None or self._asking:
            return
        state = self.timer.state
        running = 0.0
        if state.phase is Phase.FOCUS and state.status is Status.RUNNING:
            running = min(away.seconds, self.timer.elapsed())
        logged = [
            (block, seconds)
            for block in self.store.study_blocks()[-20:]
            if block.get("phase") == "focus"
            and (seconds := overlap(away, block["started_at"], block["ended_at"])) > 0
        ]
        total = running + sum(seconds for _, seconds in logged)
        if total < 60:
            return
        self._asking = True
        began = datetime.fromtimestamp(away.began_at).astimezone().strftime("%H:%M")
        minutes = plural(round(total / 60), "minute")

        def answered(leave_out: bool | None) -> None:
            self._asking = False
            if leave_out:
                self._leave_out(away, running, logged)

        self.app.push_screen(
            Confirm(
                f"You were away from {began} for {plural(round(away.seconds / 60), 'minute')}, "
                f"{minutes} of it during focus. Leave that time out of your study? "
                "(y leaves it out, n keeps it as study)"
            ),
            answered,
        )

    def _leave_out(self, away: Away, running: float, logged: list[tuple[dict, float]]) -> None:
        taken = self.timer.leave_out(running) if running else 0.0
        try:
            if taken:
                self.store.save_timer(self.timer.state.to_dict())
            for block, seconds in logged:
                minutes = max(0.0, round(block.get("minutes", 0) - seconds / 60, 2))
                self.store.change_block(block, {"minutes": minutes})
                taken += seconds
        except (OSError, BlockGone) as error:
            message = not_saved(error) if isinstance(error, OSError) else str(error)
            self.app.notify(message, severity="warning")
            return
        self.app.notify(f"Left out {plural(round(taken / 60), 'minute')} away.", timeout=4)
        self.app.refresh_status()  # type: ignore[attr-defined]
