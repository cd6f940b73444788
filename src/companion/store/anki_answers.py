"""The Anki answers already in the learner's log, known by (note GUID, card ordinal, revlog
id): a revlog id is unique in one collection only, and two collections' packages can share
one (#28: the second card's answers were taken for logged and dropped). An answer whose card
has no recorded origin (a log from before origins were kept) is known by its revlog id alone,
as it always was."""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ANSWER_PATTERN = re.compile(rb'"card":"([^"\n]*)"[^\n]*?"anki":(\d+)[,}]')
"""A logged answer's card and revlog id, found in the raw line (no JSON parse)."""
ORIGIN_NEEDLE = b'"kind":"origin"'

CardKey = tuple[str, int]  # (note GUID, card ordinal)


@dataclass
class LoggedAnswers:
    by_card: set[int] = field(default_factory=set)
    """hash((GUID, ordinal, revlog id)) of each answer logged for a card of known origin."""
    by_id: set[int] = field(default_factory=set)
    """The revlog ids of answers whose card's origin is unknown: logged whatever the card."""

    def __bool__(self) -> bool:
        return bool(self.by_card or self.by_id)

    def has(self, card: CardKey | None, revlog_id: int) -> bool:
        if revlog_id in self.by_id:
            return True
        return card is not None and hash((*card, revlog_id)) in self.by_card

    def __len__(self) -> int:
        return len(self.by_card) + len(self.by_id)


def read_logged_answers(
    revlog_ids: set[int],
    answer_lines: Iterable[tuple[bytes, bytes]],
    origin_lines: Iterable[bytes],
    current_origins: dict[str, dict],
) -> LoggedAnswers:
    """`revlog_ids`: every imported revlog id in the log (none: nothing to read);
    `answer_lines`: (card, revlog id) of each logged answer; `origin_lines`: the log's origin
    events; `current_origins`: each card's origin followed through later edits."""
    logged = LoggedAnswers()
    if not revlog_ids:
        return logged
    origins: dict[str, CardKey] = {}
    for line in origin_lines:
        try:
            event = json.loads(line)
            anki = event["anki"]
            origins[event["card"]] = (str(anki["note_guid"]), int(anki["ord"]))
        except (ValueError, KeyError, TypeError):
            continue
    for card, origin in current_origins.items():
        try:
            origins[card] = (str(origin["note_guid"]), int(origin["ord"]))
        except (KeyError, TypeError, ValueError):
            continue
    by_card, by_id = logged.by_card, logged.by_id
    last, found = b"", None  # an import logs each card's answers together: one look-up each
    for card, revlog_id in answer_lines:
        if card != last:
            last, found = card, origins.get(card.decode("utf-8", "replace"))
        if found is None:
            by_id.add(int(revlog_id))
        else:
            by_card.add(hash((found[0], found[1], int(revlog_id))))
    return logged
