"""Time away from the keyboard during focus: how much of it fell in focus blocks.

The learner's last key or click is kept on two clocks: the steady one, which does not run
while the machine sleeps (sleep is left out of blocks already, by the timer), and the wall
clock, which the log of blocks is written in.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Away:
    """An absence: when it began (wall clock) and how long it lasted awake (steady clock)."""

    began_at: float
    seconds: float


@dataclass
class PresenceWatch:
    """The learner's last input; `returned` tells whether they were away long enough to ask."""

    last_wall: float
    last_steady: float

    def returned(self, wall: float, steady: float, limit_s: float) -> Away | None:
        """Note an input now; the absence it ends, when it lasted `limit_s` or more."""
        away = Away(self.last_wall, steady - self.last_steady)
        self.last_wall, self.last_steady = wall, steady
        if limit_s <= 0 or away.seconds < limit_s:
            return None
        return away


def overlap(away: Away, started_at: float, ended_at: float) -> float:
    """Seconds of a logged block (wall clock) that fell within the absence."""
    end_of_absence = away.began_at + away.seconds
    return max(0.0, min(ended_at, end_of_absence) - max(started_at, away.began_at))
