"""Glue between the store and the review domain: a session over the learner's collection."""

from dataclasses import dataclass
from datetime import date, datetime

from companion.config import Settings
from companion.content.deck import Card
from companion.content.loader import Library
from companion.srs.ledger import study_day
from companion.srs.linking import CardText, plan_relinks, same_deck
from companion.srs.review_queue import DailyLimits, ReviewQueue
from companion.srs.review_session import ReviewSession
from companion.srs.review_stats import due_forecast, reviews_per_day, totals, true_retention
from companion.srs.scheduling import make_scheduler
from companion.store import Store

MAX_LOGGED_TEXT = 1000


def daily_limits(store: Store, settings: Settings, now: datetime) -> DailyLimits:
    """What is left today of the new-card and review allowances."""
    answered, new_seen = store.reviews_today(now)
    return DailyLimits(
        settings.new_cards_per_day - new_seen,
        settings.reviews_per_day - (answered - new_seen),
    )


def text_fields(card: Card) -> dict:
    """What the log keeps of a card's text, so an edit can be matched to it later."""
    return {"text": card.text_for_matching[:MAX_LOGGED_TEXT], "type": card.kind, "src": card.source}


def start_review(
    library: Library, store: Store, settings: Settings, now: datetime
) -> ReviewSession:
    """A review session over every loaded card, committing each event through the store."""
    queue = ReviewQueue(list(library.cards), store.ledger, daily_limits(store, settings, now), now)
    return ReviewSession(
        store.ledger,
        queue,
        make_scheduler(settings),
        store.commit,
        settings.leech_threshold,
        describe=lambda card_id: text_fields(library.cards[card_id]),
    )


@dataclass(frozen=True)
class Reconciled:
    """What loading the decks did to cards with history: re-linked edits and orphans."""

    relinked: list[tuple[str, str]]
    orphans: list[str]


def missing_cards(library: Library, store: Store) -> list[str]:
    """Cards with history that no deck holds now (retired ones, re-linked to a new id, aside)."""
    records = store.ledger.records
    # A set difference of the two key views: one C-level pass at 50,000 cards.
    return sorted(cid for cid in records.keys() - library.cards.ids() if not records[cid].retired)


def reconcile(library: Library, store: Store) -> Reconciled:
    """Re-link edited cards to their history; report cards with history no deck has any more."""
    records = store.ledger.records
    missing = missing_cards(library, store)
    if not missing:
        return Reconciled([], [])
    known = store.card_texts(set(missing))
    decks = {text.deck for text in known.values()}
    sources = [s for s in library.cards.sources() if any(same_deck(s, deck) for deck in decks)]
    fresh = {
        card.id: CardText(card.kind, card.source, card.text_for_matching)
        for card in (
            library.cards[cid] for source in sources for cid in library.cards.ids_in(source)
        )
        if card.id not in records
    }
    pairs = plan_relinks(known, fresh)
    for old_id, new_id in pairs:
        store.commit(
            {"kind": "relink", "from": old_id, "to": new_id, **text_fields(library.cards[new_id])}
        )
    relinked = {old for old, _ in pairs}
    return Reconciled(pairs, [cid for cid in missing if cid not in relinked])


HEATMAP_DAYS = 183


def review_overview(library: Library, store: Store, now: datetime, orphans: set[str]) -> dict:
    """Review figures cheap to compute from the ledger: daily counts, forecast, totals."""
    records = store.ledger.records
    return {
        "reviews_per_day": reviews_per_day(
            store.ledger.days, date.fromisoformat(study_day(now.timestamp())), HEATMAP_DAYS
        ),
        "due_forecast_14d": due_forecast(list(records.values()), now),
        "totals": totals(list(library.cards), records, now, orphans),
    }


def review_report(library: Library, store: Store, now: datetime) -> dict:
    """Everything `stats --json` says about reviewing (reads the whole log for retention)."""
    report = review_overview(library, store, now, set(missing_cards(library, store)))
    report["true_retention_30d"] = true_retention(store.review_events(), now).as_dict()
    return report
