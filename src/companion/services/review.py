"""Glue between the store and the review domain: a session over the learner's collection."""

from collections.abc import Callable, Set
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from companion.content.deck import Card
from companion.content.loader import Library
from companion.services.fsrs_fit import refit_reminder
from companion.srs.ledger import Ledger, study_day
from companion.srs.linking import CardText, plan_relinks, same_deck
from companion.srs.record_table import all_held_in
from companion.srs.review_stats import due_forecast, retention_of_days, reviews_per_day, totals
from companion.store import Store

MAX_LOGGED_TEXT = 1000
Commit = Callable[[dict], dict]


class NoteIndex:
    """The cards of each note (the clozes of one sentence), found deck by deck when asked."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._by_source: dict[str, dict[tuple, list[str]]] = {}

    def siblings(self, card_id: str) -> list[str]:
        """Every card of `card_id`'s note, itself included ([] when it stands alone)."""
        cards = self.library.cards
        if card_id not in cards or not cards.is_cloze(card_id):
            return []  # told without decoding its deck: only clozes have siblings
        card = self.library.cards.get(card_id)
        if card is None or card.note_key is None:
            return []
        notes = self._by_source.get(card.source)
        if notes is None:
            notes = {}
            for other_id in self.library.cards.ids_in(card.source):
                key = self.library.cards[other_id].note_key
                if key is not None:
                    notes.setdefault(key, []).append(other_id)
            self._by_source[card.source] = notes
        return notes.get(card.note_key, [])


def text_fields(card: Card) -> dict:
    """What the log keeps of a card's text, so an edit can be matched to it later."""
    text = card.text_for_matching[:MAX_LOGGED_TEXT]
    fields = {"text": text, "type": card.kind, "src": card.source}
    if card.cloze_number:
        fields.update(num=card.cloze_number, hide=card.hidden[:MAX_LOGGED_TEXT])
    return fields


def card_text(card: Card) -> CardText:
    """What relinking compares of a card in a deck."""
    return CardText(card.kind, card.source, card.text_for_matching, card.cloze_number, card.hidden)


def replaced_cards(library: Library, store: Store) -> set[str]:
    """Cards of bundled decks the learner replaced (an edit copies the card to their own deck)
    or deleted: a bundled file cannot change, so these stay out of review. A retired card back
    in one of the learner's decks is theirs again, never hidden."""
    present = library.cards.ids()
    return {
        card_id
        for card_id in store.ledger.retired
        if card_id in present
        and not Path(library.cards[card_id].source).is_relative_to(store.data_dir)
    }


def studied_cards(library: Library, store: Store) -> list[str]:
    """Every card in review, in deck order."""
    replaced = replaced_cards(library, store)
    return [card_id for card_id in library.cards if card_id not in replaced]


@dataclass(frozen=True)
class Reconciled:
    """What loading the decks did to cards with history: re-linked edits and orphans."""

    relinked: list[tuple[str, str]]
    orphans: list[str]


def missing_cards(library: Library, store: Store) -> list[str]:
    """Cards with history that no deck holds now (retired ones, re-linked to a new id, aside)."""
    records = store.ledger.records
    present = library.cards.ids()
    # Key views compared in C: as a rule every card with history is in a deck, and asking
    # whether is quicker than building the difference (a tenth of the start-up at 200,000)
    if all_held_in(records, present):
        return []
    return sorted(cid for cid in records.keys() - present if not records[cid].retired)


def history_holder(ledger: Ledger, card_id: str, present: Set[str]) -> str | None:
    """A card in no deck that holds the history of `card_id`'s lineage (the cards it was
    edited from or into, at any remove), nearest first; None when there is none."""
    records = ledger.records
    seen, frontier = {card_id}, [card_id]
    while frontier:
        nearer = []
        for current in frontier:
            record = records.get(current)
            linked = [*ledger.came_from.get(current, ())]
            if record is not None and isinstance(record.retired, str):
                linked.append(record.retired)
            for other in linked:
                if other in seen:
                    continue
                seen.add(other)
                holder = records.get(other)
                if holder is not None and not holder.retired and other not in present:
                    return other
                nearer.append(other)
        frontier = nearer
    return None


def _has_own_history(ledger: Ledger, card_id: str) -> bool:
    record = ledger.records.get(card_id)
    return record is not None and record.passes_history_on


def _restore_reverted(library: Library, store: Store, commit: Commit) -> list[tuple[str, str]]:
    """Give history back to a card whose text came back (an edit reverted by hand): the card
    that took its history is in no deck now, so the history returns to the card it came from."""
    ledger = store.ledger
    present = library.cards.ids()
    retired = sorted(ledger.retired)  # a copy: restoring one takes it out of the set
    for card_id in retired:
        record = ledger.records[card_id]
        if record.retired is True and not record.is_new and card_id in present:
            commit({"kind": "restore", "card": card_id})  # deleted, then written again
    reverted = [
        cid
        for cid in {*ledger.came_from, *retired}
        if cid in present and not _has_own_history(ledger, cid)
    ]
    pairs = []
    for card_id in sorted(reverted):
        if _has_own_history(ledger, card_id):
            continue
        holder = history_holder(ledger, card_id, present)
        if holder is not None and holder not in present:
            commit(
                {
                    "kind": "relink",
                    "from": holder,
                    "to": card_id,
                    "reverted": True,
                    **text_fields(library.cards[card_id]),
                }
            )
            pairs.append((holder, card_id))
    return pairs


def _fresh_cards(library: Library, records: dict, sources: list[str]) -> dict[str, CardText]:
    """The cards of these decks with no history of their own, which an edited card may be."""
    return {
        card.id: card_text(card)
        for card in (
            library.cards[cid] for source in sources for cid in library.cards.ids_in(source)
        )
        if card.id not in records or not records[card.id].passes_history_on
    }


def reconcile(library: Library, store: Store) -> Reconciled:
    """Re-link edited cards to their history; report cards with history no deck has any more.

    A read-only store (`stats`) works the re-links out in memory only: its counts are the ones
    the app will show, and the app writes them.
    """
    commit = store.commit if not store.read_only else store.apply_unsaved
    store.card_order = library.cards
    records = store.ledger.records
    restored = _restore_reverted(library, store, commit)
    missing = missing_cards(library, store)
    if not missing:
        return Reconciled(restored, [])
    known = store.card_texts(set(missing))
    decks = {text.deck for text in known.values()}
    sources = [s for s in library.cards.sources() if any(same_deck(s, deck) for deck in decks)]
    pairs = plan_relinks(known, _fresh_cards(library, records, sources))
    # A card moved to another deck and edited on the way: looked for in every deck, once.
    searched = store.searched_everywhere()
    unmatched = {
        cid: text
        for cid, text in known.items()
        if cid not in {old for old, _ in pairs} and cid not in searched
    }
    if unmatched:
        taken = {new for _, new in pairs}
        everywhere = _fresh_cards(library, records, list(library.cards.sources()))
        pairs += plan_relinks(
            unmatched, {cid: t for cid, t in everywhere.items() if cid not in taken}, any_deck=True
        )
        store.mark_searched_everywhere(set(unmatched) - {old for old, _ in pairs})
    for old_id, new_id in pairs:
        commit(
            {"kind": "relink", "from": old_id, "to": new_id, **text_fields(library.cards[new_id])}
        )
    relinked = {old for old, _ in pairs}
    return Reconciled(restored + pairs, [cid for cid in missing if cid not in relinked])


HEATMAP_DAYS = 183


def review_overview(library: Library, store: Store, now: datetime, orphans: set[str]) -> dict:
    """Review figures cheap to compute from the ledger: daily counts, forecast, totals."""
    records = store.ledger.records
    return {
        "reviews_per_day": reviews_per_day(
            store.ledger.days, date.fromisoformat(study_day(now.timestamp())), HEATMAP_DAYS
        ),
        "due_forecast_14d": (forecast := due_forecast(list(records.values()), now, 30))[:14],
        "due_forecast_30d": forecast,
        "totals": totals(studied_cards(library, store), records, now, orphans),
        "fsrs_refit": refit_reminder(store, now),
    }


def review_report(library: Library, store: Store, now: datetime, orphans: set[str]) -> dict:
    """Everything `stats --json` says about reviewing (retention from the running counts)."""
    report = review_overview(library, store, now, orphans)
    today = date.fromisoformat(study_day(now.timestamp()))
    report["true_retention_30d"] = retention_of_days(store.ledger.retention, today).as_dict()
    return report
