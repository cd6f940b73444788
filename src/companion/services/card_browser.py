"""Every card in one table, found with Anki's search words and managed in bulk: the card
browser in the app and `companion cards list|suspend|unsuspend|reset` share this module.

Each change is one event per card in the review log, all of one action sharing a `batch`, so
one undo takes back the whole action. Deleting removes the note from the learner's deck (a
bundled card is hidden instead); its history stays in the log.
"""

from collections.abc import Callable, Set
from datetime import UTC, datetime
from pathlib import Path

from fsrs import Scheduler

from companion.config import options_deck
from companion.content.deck import deck_name
from companion.content.loader import Library
from companion.services.card_writing import reload_deck, siblings
from companion.services.review import replaced_cards, text_fields
from companion.srs.card_query import CardRow, QueryContext, search
from companion.srs.event_order import event_id, undone_ids
from companion.srs.ledger import CardRecord, study_day
from companion.srs.review_queue import next_day_start
from companion.srs.scheduling import DeckSchedulers
from companion.srs.study_days import study_date
from companion.store import Store
from companion.store.deck_files import CardNotFound, remove_card
from companion.text import normalise

UNDOABLE_BATCH = ("review", "bury", "suspend", "reset")
RELEARNING_STATE = 3


def _state(record: CardRecord | None, now_ts: float) -> str:
    if record is None:
        return "new"
    if record.suspended:
        return "suspended"
    if record.buried_until is not None and record.buried_until > now_ts:
        return "buried"
    if record.is_new:
        return "new"
    return "learning" if record.in_learning else "review"


def _interval_days(record: CardRecord | None, scheduler: Scheduler) -> int | None:
    """The card's interval as Anki counts it: the study days from its last answer to the day
    it is due (0 while in learning steps); None for a new card. A card relearning after a
    lapse has, as in Anki, the interval it will get once relearnt: FSRS's for its memory at
    its deck's desired retention."""
    if record is None or record.fsrs is None or not record.fsrs.get("last_review"):
        return None
    if record.in_learning:
        stability = record.fsrs["state"] == RELEARNING_STATE and record.fsrs.get("stability")
        return scheduler._next_interval(stability=stability) if stability else 0
    last = datetime.fromisoformat(record.fsrs["last_review"]).timestamp()
    return max(0, (study_date(record.due_ts or last) - study_date(last)).days)


def _row(
    card_id: str,
    sides: tuple[str, str],
    deck: str,
    tags: tuple[str, ...],
    record: CardRecord | None,
    item_id: str | None,
    now_ts: float,
    scheduler: Scheduler,
    orphan: bool = False,
    sibling_buried: bool = False,
) -> CardRow:
    front, back = sides
    state = "orphaned" if orphan else _state(record, now_ts)
    if sibling_buried and state in ("new", "learning", "review"):
        state = "buried"
    return CardRow(
        card_id,
        front,
        back,
        deck,
        tags,
        state,
        record.due_ts if record is not None else None,
        _interval_days(record, scheduler),
        record.reps if record is not None else 0,
        record.lapses if record is not None else 0,
        record is not None and record.leech,
        item_id,
        normalise(f"{front}\n{back}"),
    )


def browser_rows(
    library: Library,
    store: Store,
    now: datetime,
    orphans: set[str],
    sibling_buried: Set[str] = frozenset(),
) -> list[CardRow]:
    """A row for every card in a deck, then one for every orphaned card (from its logged text).
    Cards in `sibling_buried` (held back today by the review queue, as Anki buries a note's
    other cards) read as buried."""
    records = store.ledger.records
    replaced = replaced_cards(library, store)
    now_ts = now.timestamp()
    scheduler_of = _deck_schedulers(store)
    rows = []
    for card_id in library.cards:
        if card_id in replaced:
            continue
        card = library.cards[card_id]
        deck = deck_name(card.source)
        rows.append(
            _row(
                card_id,
                (card.front, card.back),
                deck,
                card.tags,
                records.get(card_id),
                card.item_id,
                now_ts,
                scheduler_of(deck),
                sibling_buried=card_id in sibling_buried,
            )
        )
    texts = store.card_texts(orphans)
    for card_id in sorted(orphans):
        known = texts.get(card_id)
        front, _, back = (known.text if known else "(text not logged)").partition("\n")
        deck = deck_name(known.deck) if known else ""
        record = records.get(card_id)
        rows.append(
            _row(card_id, (front, back), deck, (), record, None, now_ts, scheduler_of(deck), True)
        )
    return rows


def _deck_schedulers(store: Store) -> Callable[[str], Scheduler]:
    """The scheduler of each deck's options, by deck name (worked out once per deck)."""
    schedulers = DeckSchedulers(store.settings)
    known: dict[str, Scheduler] = {}

    def scheduler_of(deck: str) -> Scheduler:
        found = known.get(deck)
        if found is None:
            found = known[deck] = schedulers.for_options(options_deck(store.settings, deck))
        return found

    return scheduler_of


def query_context(library: Library, store: Store, now: datetime) -> QueryContext:
    """What searches need: the time, roadmap phases, and (read once, if asked) every answer."""
    answers: dict[str, list[tuple[float, int]]] | None = None

    def every_answer() -> dict[str, list[tuple[float, int]]]:
        nonlocal answers
        if answers is None:
            answers = {}
            events = store.review_events()
            undone = undone_ids(events)
            for event in events:
                if event["kind"] == "review" and event_id(event) not in undone:
                    answers.setdefault(event["card"], []).append((event["ts"], event["grade"]))
        return answers

    def phase_items(name: str) -> set[str]:
        """The items of every phase whose title holds `name` (ignoring case and spacing)."""
        wanted = normalise(name)
        return {
            item.id
            for roadmap in library.roadmaps
            for phase in roadmap.phases
            if wanted in normalise(phase.title)
            for item in phase.items
        }

    return QueryContext(now.timestamp(), next_day_start(now).timestamp(), phase_items, every_answer)


def find_cards(library: Library, store: Store, query: str, now: datetime) -> list[CardRow]:
    """The cards a search matches, in deck order (orphans last). Raises QueryError."""
    from companion.services.review import reconcile

    orphans = set(reconcile(library, store).orphans)
    rows = browser_rows(library, store, now, orphans)
    return search(rows, query, query_context(library, store, now))


# -- changes ---------------------------------------------------------------
def _batch(store: Store, changes: list[tuple[str, dict]]) -> int:
    """Commit one event per card, all in one batch; return how many cards changed."""
    batch = store.ledger.seq + 1
    for card_id, change in changes:
        store.commit({**change, "card": card_id, "batch": batch})
    return len(changes)


def set_suspended(store: Store, card_ids: list[str], on: bool) -> int:
    """Suspend or unsuspend cards (those already so are left alone); return how many changed."""
    changing = [cid for cid in card_ids if store.ledger.record(cid).suspended != on]
    return _batch(store, [(cid, {"kind": "suspend", "on": on}) for cid in changing])


def set_buried(store: Store, card_ids: list[str], on: bool, now: datetime) -> int:
    """Bury cards until the next study day, or unbury them; return how many changed."""
    now_ts = now.timestamp()

    def buried(cid: str) -> bool:
        until = store.ledger.record(cid).buried_until
        return until is not None and until > now_ts

    until = next_day_start(now).timestamp() if on else 0.0
    changing = [cid for cid in card_ids if buried(cid) != on]
    return _batch(store, [(cid, {"kind": "bury", "until": until}) for cid in changing])


def unbury_siblings(store: Store, card_ids: list[str], now: datetime) -> int:
    """Unbury cards held back today for a sibling answered (Anki's Unbury): logged, so they
    stay out of sibling burying for the rest of the study day, after a restart too."""
    day = study_day(now.timestamp())
    return _batch(
        store, [(cid, {"kind": "bury", "until": 0, "unburied_on": day}) for cid in card_ids]
    )


def reset_cards(store: Store, card_ids: list[str], clear_counts: bool) -> int:
    """Make cards new again (Anki's Forget); `clear_counts` also zeroes reviews and lapses.
    Their answers stay in the log."""
    changing = [
        cid
        for cid in card_ids
        if not store.ledger.record(cid).is_new
        or (clear_counts and (store.ledger.record(cid).reps or store.ledger.record(cid).lapses))
    ]
    change = {"kind": "reset", "counts": clear_counts}
    return _batch(store, [(cid, dict(change)) for cid in changing])


def undo_last_change(store: Store) -> int:
    """Undo the last answer or browser action (a whole batch at once); return cards restored."""
    if not store.ledger.undo_stack:
        return 0
    batch = store.ledger.undo_stack[-1].get("batch")
    undone = 0
    while (stack := store.ledger.undo_stack) and (
        undone == 0 or (batch is not None and stack[-1].get("batch") == batch)
    ):
        last = stack[-1]
        store.commit({"kind": "undo", "target": last["id"], "card": last["card"]})
        undone += 1
    return undone


def delete_cards(library: Library, store: Store, card_ids: list[str]) -> list[str]:
    """Delete the notes of these cards (a cloze sentence goes with all its cards) from the
    learner's decks; a bundled card is hidden. Returns one line per card that could not be
    deleted (its deck changed on disk). History stays in the log."""
    problems = []
    for card_id in card_ids:
        card = library.cards.get(card_id)
        if card is None:  # an orphan: in no deck already
            store.commit({"kind": "delete", "card": card_id})
            continue
        path = Path(card.source)
        same_note = [sibling.id for sibling in siblings(library, card)]
        if path.is_relative_to(store.data_dir):
            try:
                remove_card(path, set(same_note))
            except CardNotFound as error:
                problems.append(f"{card.front[:40]}: not deleted, {error}")
                continue
            except OSError as error:
                problems.append(f"{card.front[:40]}: not deleted ({error.strerror or error})")
                continue
        for cid in same_note:
            store.commit({"kind": "delete", "card": cid, **text_fields(library.cards[cid])})
        if path.is_relative_to(store.data_dir):
            reload_deck(library, path)
    return problems


def when_due(row: CardRow, now: datetime) -> str:
    """The due column: 'today', a date, or '—' for new and suspended cards."""
    if row.due_ts is None or row.state in ("new", "orphaned"):
        return "—"
    if row.due_ts < next_day_start(now).timestamp():
        return "today"
    return datetime.fromtimestamp(row.due_ts, UTC).astimezone().strftime("%Y-%m-%d")
