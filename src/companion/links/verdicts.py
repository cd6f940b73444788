"""What a link check found."""

from dataclasses import asdict, dataclass

OK = "ok"
REDIRECTED = "redirected"
BROKEN = "broken"
BLOCKED = "blocked"
SKIPPED = "skipped"
OFFLINE = "offline"
DEFINITIVE = (OK, REDIRECTED, BROKEN, BLOCKED)  # worth caching; skipped/offline are not


@dataclass(frozen=True)
class LinkResult:
    """The verdict for one URL, with the status, final URL or error behind it."""

    url: str
    verdict: str
    status: int | None = None
    final_url: str | None = None
    error: str | None = None
    checked_at: float = 0.0
    fragment_checked: bool = False

    def to_dict(self) -> dict:
        """JSON-ready."""
        return asdict(self)
