"""Keep history through edits: re-link a card whose text changed a little to its old record.

The rule, pinned down by tests: a card that has history but is no longer in any deck is
matched to a card with no history from the same deck file and of the same kind when their
normalised texts are at least 80% similar (difflib ratio). Best pairs are taken first and each
card is used once. Anything less similar is a new card; a card with history and no match is
an orphan: kept, never deleted, and shown as such.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import PurePath

from companion.text import normalise

SIMILARITY = 0.8


@dataclass(frozen=True)
class CardText:
    """What is known of a card's text: its kind, its deck file and what it said."""

    kind: str
    deck: str
    text: str


def similarity(first: str, second: str) -> float:
    """How alike two card texts are, from 0 to 1, ignoring case and spacing."""
    return SequenceMatcher(None, normalise(first), normalise(second), autojunk=False).ratio()


def same_deck(first: str, second: str) -> bool:
    """Whether two sources name the same deck file (by file name, wherever it lives)."""
    return PurePath(first).name == PurePath(second).name


def plan_relinks(missing: dict[str, CardText], fresh: dict[str, CardText]) -> list[tuple[str, str]]:
    """Pairs (old id, new id) for edited cards, best matches first."""
    candidates = []
    for old_id, old in missing.items():
        for new_id, new in fresh.items():
            if old.kind != new.kind or not same_deck(old.deck, new.deck):
                continue
            quick = SequenceMatcher(None, old.text, new.text).real_quick_ratio()
            if quick < SIMILARITY:
                continue
            score = similarity(old.text, new.text)
            if score >= SIMILARITY:
                candidates.append((score, old_id, new_id))
    pairs, used_old, used_new = [], set(), set()
    for _, old_id, new_id in sorted(candidates, reverse=True):
        if old_id not in used_old and new_id not in used_new:
            pairs.append((old_id, new_id))
            used_old.add(old_id)
            used_new.add(new_id)
    return pairs
