"""Keep history through edits: re-link a card whose text changed a little to its old record.

The rule, pinned down by tests: a card that has history but is no longer in any deck is
matched to a card with no history from the same deck file and of the same kind when their
normalised texts are at least 80% similar (difflib ratio). Best pairs are taken first and each
card is used once. Anything less similar is a new card; a card with history and no match is
an orphan: kept, never deleted, and shown as such.

Clozes of one sentence share its text, so the sentence alone cannot tell them apart: a cloze
card is matched only to a cloze that hides the same text (its deletion renumbered, say) or,
failing that, has the same number and hides a text at least half alike that replaced the old
one (a typo fixed in it; if the old text is still in the sentence, that deletion was undone),
the first before the second.
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
    number: str = ""
    """A cloze's number (empty for other cards and in logs older than this field)."""
    hidden: str = ""
    """What a cloze hides."""


def similarity(first: str, second: str) -> float:
    """How alike two card texts are, from 0 to 1, ignoring case and spacing."""
    return SequenceMatcher(None, normalise(first), normalise(second), autojunk=False).ratio()


def same_deck(first: str, second: str) -> bool:
    """Whether two sources name the same deck file (by file name, wherever it lives)."""
    return PurePath(first).name == PurePath(second).name


HIDDEN_SIMILARITY = 0.5


def cloze_kinship(old: CardText, new: CardText) -> int:
    """2 when two clozes hide the same text; 1 when their numbers agree and what they hide is
    alike (a typo fixed); else 0: a deletion renumbered into another's place is not it. Cards
    that are not clozes (or were logged before clozes kept these fields) are all kin (2)."""
    if old.kind != "cloze" or not (old.number or old.hidden):
        return 2
    if normalise(old.hidden) == normalise(new.hidden):
        return 2
    if normalise(old.hidden) in normalise(new.text):
        return 0  # what it hid is still in the sentence: that deletion was undone, not edited
    alike = similarity(old.hidden, new.hidden) >= HIDDEN_SIMILARITY
    return 1 if old.number == new.number and alike else 0


def plan_relinks(
    missing: dict[str, CardText],
    fresh: dict[str, CardText],
    threshold: float = SIMILARITY,
    any_deck: bool = False,
) -> list[tuple[str, str]]:
    """Pairs (old id, new id) for edited cards, best matches first.

    `threshold` and `any_deck` are lowered for an edit made in the app, where the learner said
    which card they changed.
    """
    candidates = []
    for old_id, old in missing.items():
        for new_id, new in fresh.items():
            if old.kind != new.kind or not (any_deck or same_deck(old.deck, new.deck)):
                continue
            kinship = cloze_kinship(old, new)
            if not kinship:
                continue
            quick = SequenceMatcher(None, old.text, new.text).real_quick_ratio()
            if quick < threshold:
                continue
            score = similarity(old.text, new.text)
            if score >= threshold:
                candidates.append((kinship, score, old_id, new_id))
    pairs, used_old, used_new = [], set(), set()
    for _, _, old_id, new_id in sorted(candidates, reverse=True):
        if old_id not in used_old and new_id not in used_new:
            pairs.append((old_id, new_id))
            used_old.add(old_id)
            used_new.add(new_id)
    return pairs
