"""The day's plan as data: what the Today view shows and `companion today` prints (kept
between calls by `services/today_cache.py`)."""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class NextItem:
    roadmap_id: str
    roadmap_title: str
    item_id: str
    text: str
    state: str
    hours: float | None


@dataclass(frozen=True)
class WeakPhase:
    roadmap_id: str
    phase_id: str
    title: str
    retrievability: float
    due: int
    cards: int


@dataclass(frozen=True)
class TodayPlan:
    due_now: int
    due_later: int
    seconds_per_answer: float
    blocks_done: int
    blocks_target: int
    focus_minutes: float
    next_items: list[NextItem] = field(default_factory=list)
    behind: list[str] = field(default_factory=list)
    """The roadmaps whose pace is behind their target (their items include a catch-up)."""
    hours_today: dict[str, float] = field(default_factory=dict)
    """The hours of study each active roadmap's items for today are chosen to fill."""
    weak_phases: list[WeakPhase] = field(default_factory=list)
    own_pace: bool = False
    """Whether `seconds_per_answer` is the learner's own (enough answers to say), not the
    default."""

    @property
    def due_reviews(self) -> int:
        return self.due_now + self.due_later

    @property
    def review_minutes(self) -> float:
        return self.due_reviews * self.seconds_per_answer / 60

    def fields(self) -> dict:
        """Every field, whole (a kept plan prints as the one worked out)."""
        return asdict(self)

    @classmethod
    def from_fields(cls, fields: dict) -> "TodayPlan":
        """Back from `fields`; TypeError or KeyError for anything else."""
        items = [NextItem(**item) for item in fields.pop("next_items")]
        weak = [WeakPhase(**phase) for phase in fields.pop("weak_phases")]
        return cls(**fields, next_items=items, weak_phases=weak)

    def as_dict(self) -> dict:
        """What `companion today --json` prints."""
        return {
            "due_reviews": self.due_reviews,
            "due_now": self.due_now,
            "due_later_today": self.due_later,
            "review_minutes": round(self.review_minutes, 1),
            "seconds_per_answer": round(self.seconds_per_answer, 1),
            "own_pace": self.own_pace,
            "next_items": [
                {
                    "roadmap": i.roadmap_id,
                    "item": i.item_id,
                    "text": i.text,
                    "state": i.state,
                    "hours": None if i.hours is None else round(i.hours, 2),
                }
                for i in self.next_items
            ],  # fmt: skip
            "behind": self.behind,
            "hours_today": {r: round(h, 2) for r, h in self.hours_today.items()},
            "blocks_done": self.blocks_done,
            "blocks_target": self.blocks_target,
            "weak_phases": [
                {
                    "roadmap": w.roadmap_id,
                    "phase": w.phase_id,
                    "title": w.title,
                    "retrievability": round(w.retrievability, 4),
                    "due": w.due,
                    "cards": w.cards,
                }
                for w in self.weak_phases
            ],  # fmt: skip
        }
