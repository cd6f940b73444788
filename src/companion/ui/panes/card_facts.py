"""What the card-info dialog says: state, memory figures and history, as Rich text."""

from datetime import datetime
from pathlib import Path

from fsrs import Scheduler
from rich.text import Text

from companion.content.deck import Card
from companion.srs.ledger import CardRecord
from companion.srs.scheduling import Grade, retrievability
from companion.text import clean_text, plural
from companion.ui.safe_text import plain

STATE_NAMES = {1: "Learning", 2: "Review", 3: "Relearning"}


def card_summary(
    card: Card | None, record: CardRecord, scheduler: Scheduler, now: datetime, orphan: bool
) -> Text:
    """The card's text, where it lives, and its FSRS state now."""
    text = Text()
    if card is not None:
        text.append_text(plain(card.front, "bold"))
        text.append("\n")
        text.append_text(plain(card.back))
        text.append(clean_text(f"\n\n{Path(card.source).name}:{card.line}"), "dim")
        if card.item_id:
            text.append(f"  · roadmap item {card.item_id}", "dim")
    elif orphan:
        text.append("This card is no longer in any deck (orphaned); its history is kept.", "yellow")
    rows: list[tuple[str, str]] = [("Card id", record.card_id)]
    if record.fsrs is None:
        rows.append(("State", "New"))
    else:
        due = datetime.fromisoformat(record.fsrs["due"]).astimezone()
        recall = retrievability(scheduler, record, now)
        rows += [
            ("State", STATE_NAMES.get(record.fsrs["state"], "?")),
            ("Due", due.strftime("%Y-%m-%d %H:%M")),
            ("Stability", f"{record.fsrs['stability']:.2f} days"),
            ("Difficulty", f"{record.fsrs['difficulty']:.2f} (1-10)"),
            ("Retrievability now", f"{recall:.0%}" if recall is not None else "—"),
        ]
    rows += [("Reviews", str(record.reps)), ("Lapses", str(record.lapses))]
    flags = [
        name
        for name, on in [
            ("leech", record.leech),
            ("suspended", record.suspended),
            ("buried", record.buried_until is not None and record.buried_until > now.timestamp()),
            ("orphaned", orphan),
        ]
        if on
    ]
    if flags:
        rows.append(("Flags", ", ".join(flags)))
    text.append("\n\n")
    for label, value in rows:
        text.append(f"{label:<20}", "bold cyan")
        text.append(f"{value}\n")
    return text


def history_text(events: list[dict]) -> Text:
    """One line per answer: when, the grade, and the interval it gave."""
    reviews = [e for e in events if e["kind"] == "review"]
    text = Text(f"History ({plural(len(reviews), 'answer')})\n", "bold")
    for event in reviews[-200:]:
        when = datetime.fromtimestamp(event["ts"]).astimezone()
        interval = datetime.fromisoformat(event["due"]) - when
        grade = Grade(event["grade"]).name.title()
        days = interval.total_seconds() / 86400
        gap = f"{days:.1f}d" if days >= 1 else f"{interval.total_seconds() / 60:.0f}m"
        text.append(f"{when:%Y-%m-%d %H:%M}  {grade:<6} → next in {gap}\n")
    others = [e for e in events if e["kind"] in ("bury", "suspend")]
    for event in others:
        text.append(f"{event['kind']} (seq {event['seq']})\n", "dim")
    return text
