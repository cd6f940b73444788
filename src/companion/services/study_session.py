"""A review session over the cards the learner chose to study: all decks, one deck, or a
custom study session (a search, as Anki's filtered decks), decks switched off left out, and
per-deck limits applied. The choice is remembered across restarts."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from companion.config import Settings, deck_settings, options_deck
from companion.content.deck import deck_name
from companion.content.loader import Library
from companion.services.card_browser import browser_rows, query_context
from companion.services.review import NoteIndex, studied_cards, text_fields
from companion.srs.card_query import SORT_KEYS, QueryError, search
from companion.srs.custom_queue import CustomQueue
from companion.srs.ledger import study_day
from companion.srs.load_balance import DueLoad
from companion.srs.memory import recall_of
from companion.srs.review_queue import DailyLimits, DeckAllowance, ReviewQueue
from companion.srs.review_session import CardScheduling, ReviewSession
from companion.srs.scheduling import DeckSchedulers, make_scheduler
from companion.srs.study_days import study_day_number
from companion.store import Store
from companion.store.deck_files import my_deck_path

SCOPE_KEY = "study_scope"
DECKS_OFF_KEY = "decks_off"
DECKS_ON_KEY = "decks_on"


@dataclass(frozen=True)
class StudyScope:
    """What a session covers: `all` decks, one `deck` (with its subdecks), or a `search`."""

    kind: str = "all"
    value: str = ""

    def describe(self) -> str:
        """For the Review pane's header."""
        if self.kind == "deck":
            return f"Deck {self.value}"
        if self.kind == "search":
            return f"Custom study: {self.value}"
        return "All decks"


EVERY_DECK = StudyScope()
"""What the day's plan, the stats and a backlog's spread count, whatever the Review pane
studies: a custom study or one deck chosen for now leaves the other reviews due all the same
(decks switched off stay out)."""


def load_scope(store: Store) -> StudyScope:
    """The scope chosen last (all decks at first)."""
    saved = store.remembered(SCOPE_KEY, None)
    if isinstance(saved, dict) and saved.get("kind") in ("all", "deck", "search"):
        return StudyScope(saved["kind"], str(saved.get("value", "")))
    return StudyScope()


def save_scope(store: Store, scope: StudyScope) -> None:
    """Remember the scope for the next sessions."""
    store.remember(SCOPE_KEY, {"kind": scope.kind, "value": scope.value})


def _remembered_names(store: Store, key: str) -> set[str]:
    saved = store.remembered(key, [])
    return {str(name) for name in saved} if isinstance(saved, list) else set()


def starter_decks(library: Library, store: Store) -> set[str]:
    """The decks that came with companion (not in the learner's data directory)."""
    return {
        deck_name(source)
        for source in library.cards.sources()
        if not Path(source).is_relative_to(store.data_dir)
    }


def decks_off(store: Store, library: Library | None = None) -> set[str]:
    """The decks the learner switched off; with `library`, also the starter decks once the
    learner has decks of their own, imported or dropped in (their collection is theirs),
    unless switched back on."""
    off = _remembered_names(store, DECKS_OFF_KEY)
    if library is not None:
        starters = starter_decks(library, store)
        mine = my_deck_path(store.data_dir)  # cards written while studying the starter decks
        own = any(
            Path(s).is_relative_to(store.data_dir) and Path(s) != mine
            for s in library.cards.sources()
        )
        if own:
            off |= starters - _remembered_names(store, DECKS_ON_KEY)
    return off


def switch_deck(store: Store, deck: str, on: bool) -> None:
    """Switch a deck on or off for every later session (a starter deck switched on stays on
    beside the learner's own decks)."""
    off, on_list = _remembered_names(store, DECKS_OFF_KEY), _remembered_names(store, DECKS_ON_KEY)
    off, on_list = (off - {deck}, on_list | {deck}) if on else (off | {deck}, on_list - {deck})
    store.remember(DECKS_OFF_KEY, sorted(off))
    store.remember(DECKS_ON_KEY, sorted(on_list))


def in_deck(name: str, deck: str) -> bool:
    """Whether deck `name` is `deck` or one of its subdecks (`deck::...`)."""
    return name == deck or name.startswith(deck + "::")


def deck_names(library: Library) -> Callable[[str], str]:
    """A card's deck name, worked out once per deck file (no deck is decoded for it)."""
    names: dict[str, str] = {}

    def deck_of(card_id: str) -> str:
        source = library.cards.source_of(card_id)
        return names.get(source) or names.setdefault(source, deck_name(source))

    return deck_of


def daily_limits(store: Store, settings: Settings, now: datetime) -> DailyLimits:
    """What is left today of the new-card and review allowances."""
    _, new_seen, reviews = store.reviews_today(now)
    return DailyLimits(settings.new_cards_per_day - new_seen, settings.reviews_per_day - reviews)


def deck_allowance(
    library: Library, store: Store, settings: Settings, now: datetime
) -> DeckAllowance | None:
    """Per-deck limits (`[decks."NAME"]` in config.toml) less what today's answers used."""
    if not settings.deck_limits:
        return None
    left = {name: [new, reviews] for name, new, reviews in settings.deck_limits}
    deck_of = deck_names(library)
    for card_id, first, counted, _ in store.ledger.answered_on.get(study_day(now.timestamp()), ()):
        if card_id not in library.cards:
            continue
        name = deck_of(card_id)
        for deck, allowance in left.items():
            if in_deck(name, deck):
                if first and allowance[0] is not None:
                    allowance[0] -= 1
                if counted and allowance[1] is not None:
                    allowance[1] -= 1

    per_deck: dict[str, list[list[int | None]]] = {}  # the same counters, found once a deck

    def allowance(card_id: str) -> list[list[int | None]]:
        name = deck_of(card_id)
        found = per_deck.get(name)
        if found is None:
            found = [limits for deck, limits in left.items() if in_deck(name, deck)]
            per_deck[name] = found
        return found

    return allowance


def chosen_cards(library: Library, store: Store, scope: StudyScope) -> list[str]:
    """The cards in review that the scope covers, decks switched off left out, in deck order."""
    off = decks_off(store, library)
    cards = studied_cards(library, store)
    if not off and scope.kind != "deck":
        return cards
    deck_of = deck_names(library)
    if off:  # decided once per deck file, not for each of 100,000 cards
        sources = library.cards.sources()
        dropped = {s for s in sources if any(in_deck(deck_name(s), deck) for deck in off)}
        gone = library.cards.ids_from(dropped) if dropped else set()
        cards = [c for c in cards if c not in gone] if gone else cards
    kept = cards
    if scope.kind == "deck":
        kept = [c for c in kept if in_deck(deck_of(c), scope.value)]
    return kept


def build_queue(
    library: Library,
    store: Store,
    settings: Settings,
    now: datetime,
    limits: DailyLimits | None = None,
    scope: StudyScope | None = None,
) -> ReviewQueue | CustomQueue:
    """The queue of the cards chosen for study; `limits` carries what is left of today's
    allowance over when the queue is rebuilt (after cards were written or edited); `scope`:
    the one chosen last, unless given."""
    scope = scope or load_scope(store)
    limits = limits or daily_limits(store, settings, now)
    cards = chosen_cards(library, store, scope)
    if scope.kind == "search":
        try:
            found = custom_study_cards(library, store, scope.value, now, cards)
            return CustomQueue(found, store.ledger, limits)
        except QueryError:  # a search this version no longer reads: back to every deck
            save_scope(store, StudyScope())
    return ReviewQueue(
        cards,
        store.ledger,
        limits,
        now,
        siblings=NoteIndex(library).siblings if settings.bury_siblings else None,
        deck_allowance=deck_allowance(library, store, settings, now),
        order=settings.review_order,
        recall=card_recall(library, store, settings, now),
    )


def card_recall(
    library: Library, store: Store, settings: Settings, now: datetime
) -> Callable[[str], float | None]:
    """Each card's retrievability now, with its deck's FSRS decay (for the review order)."""
    scheduling = card_scheduling(library, settings)
    today = study_day_number(now.timestamp())
    records = store.ledger.records

    def recall(card_id: str) -> float | None:
        record = records.get(card_id)
        if record is None:
            return None
        return recall_of(record, today, scheduling(card_id).scheduler.parameters[20])

    return recall


def due_load(store: Store, settings: Settings) -> DueLoad | None:
    """The load balancer, when the learner has it on (it works within fuzz)."""
    if not (settings.load_balancing and settings.enable_fuzzing):
        return None
    records = store.ledger.records
    due_times = getattr(records, "review_due_times", None)
    if due_times is None:  # a plain mapping of records

        def due_times():  # noqa: ANN202
            return (
                r.due_ts
                for r in records.values()
                if r.due_ts is not None and not (r.in_learning or r.suspended or r.retired)
            )

    return DueLoad(due_times, settings.easy_days)


def custom_study_cards(
    library: Library, store: Store, query: str, now: datetime, allowed: list[str]
) -> list[str]:
    """The cards of a custom study session: those the search finds among `allowed`, due first.
    Raises QueryError for a search that cannot be read."""
    wanted = set(allowed)
    rows = [r for r in browser_rows(library, store, now, set()) if r.card_id in wanted]
    found = search(rows, query, query_context(library, store, now))
    found.sort(key=SORT_KEYS["due"])
    return [row.card_id for row in found if row.state not in ("suspended", "buried")]


def start_review(
    library: Library,
    store: Store,
    settings: Settings,
    now: datetime,
    scope: StudyScope | None = None,
) -> ReviewSession:
    """A review session over the chosen cards (of `scope`, or the scope chosen last),
    committing each event through the store: each card scheduled with its deck's options."""
    session = ReviewSession(
        store.ledger,
        build_queue(library, store, settings, now, scope=scope),
        make_scheduler(settings),
        store.commit,
        settings.leech_threshold,
        describe=lambda card_id: text_fields(library.cards[card_id]),
        scheduling=card_scheduling(library, settings),
    )
    session.load = due_load(store, settings)
    return session


def deck_scheduling(settings: Settings) -> Callable[[str], CardScheduling]:
    """Each deck's scheduling, from its options (worked out once per deck)."""
    schedulers = DeckSchedulers(settings)
    known: dict[str, CardScheduling] = {}

    def scheduling(deck: str) -> CardScheduling:
        found = known.get(deck)
        if found is None:
            options = options_deck(settings, deck)
            threshold = deck_settings(settings, deck).leech_threshold
            found = CardScheduling(schedulers.for_options(options), options, threshold)
            known[deck] = found
        return found

    return scheduling


def card_scheduling(library: Library, settings: Settings) -> Callable[[str], CardScheduling]:
    """Each card's scheduling, from the options of its deck (worked out once per deck)."""
    of_deck = deck_scheduling(settings)
    deck_of = deck_names(library)

    def scheduling(card_id: str) -> CardScheduling:
        return of_deck(deck_of(card_id) if card_id in library.cards else "")

    return scheduling


def refresh_queue(
    session: ReviewSession, library: Library, store: Store, settings: Settings, now: datetime
) -> None:
    """Rebuild the session's queue after the decks changed under it (a card written, edited or
    managed, another scope chosen): today's allowance is kept."""
    session.queue = build_queue(library, store, settings, now, session.queue.limits)


@dataclass(frozen=True)
class DeckSummary:
    """One deck as the Decks dialog lists it."""

    name: str
    cards: int
    new: int
    learning: int
    due: int
    on: bool
    limits: str


def deck_summaries(
    library: Library, store: Store, settings: Settings, now: datetime
) -> list[DeckSummary]:
    """Every deck with its cards by state (due ones counted by study day), on or off."""
    off = decks_off(store, library)
    context = query_context(library, store, now)
    counts: dict[str, list[int]] = {}
    for row in browser_rows(library, store, now, set()):
        tally = counts.setdefault(row.deck, [0, 0, 0, 0])
        tally[0] += 1
        if row.state == "new":
            tally[1] += 1
        elif row.state == "learning":
            tally[2] += 1
        if row.state in ("learning", "review") and row.due_ts is not None:
            tally[3] += row.due_ts < context.today_end_ts
    limits = {name: (new, reviews) for name, new, reviews in settings.deck_limits}

    def limit_words(name: str) -> str:
        new, reviews = limits.get(name, (None, None))
        parts = [
            f"{new} new" if new is not None else "",
            f"{reviews} reviews" if reviews is not None else "",
        ]
        return ", ".join(part for part in parts if part) + (" a day" if any(parts) else "")

    return [
        DeckSummary(
            name,
            *counts[name],
            not any(in_deck(name, deck) for deck in off),
            limit_words(name),
        )
        for name in sorted(counts, key=str.lower)
    ]


def check_search(library: Library, store: Store, query: str, now: datetime) -> int:
    """How many cards a custom study search would show now. Raises QueryError."""
    return len(custom_study_cards(library, store, query, now, studied_cards(library, store)))


def study_presets(library: Library, item_id: str | None) -> list[tuple[str, str]]:
    """Custom study searches offered as presets (words, search), the selected item's first."""
    presets = [
        ("Forgotten in the last 7 days", "rated:7:1"),
        ("Study ahead by 3 days", "prop:due<=3 -is:new"),
    ]
    found = library.find_item(item_id) if item_id else None
    if found is not None:
        roadmap, item = found
        phase = roadmap.phase_of(item).title.replace('"', "")
        presets.insert(0, (f"Cards of the roadmap phase '{phase}'", f'phase:"{phase}"'))
        presets.insert(1, (f"Cards of the item '{item.text[:40]}'", f"item:{item.id}"))
    return presets


def deck_setting_problems(library: Library, settings: Settings) -> list[str]:
    """A line for each `[decks."NAME"]` table that names no deck (nor a parent of one): its
    limits and options apply to nothing, most likely a typo."""
    named = {deck for deck, _, _ in settings.deck_limits} | {d for d, _ in settings.deck_options}
    if not named:
        return []
    decks = {deck_name(source) for source in library.cards.sources()}
    known = decks | {
        "::".join(d.split("::")[:n]) for d in decks for n in range(1, d.count("::") + 1)
    }
    return [
        f'settings: [decks."{deck}"] names no deck; its settings apply to no card'
        for deck in sorted(named - known)
    ]
