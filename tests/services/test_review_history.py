"""History through deck-file edits: small edits re-link, new text is new, removed is orphaned."""

from datetime import UTC, datetime
from pathlib import Path

from companion.config import Settings
from companion.content.loader import load_library
from companion.services.review import reconcile
from companion.services.study_session import start_review
from companion.srs.scheduling import Grade
from companion.store import open_store

NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)
DECK = """\
Q: What is a tensor?
A: A multi-dimensional array of numbers.

Q: What does an epoch mean?
A: One full pass over the training set.

softmax :: turns scores into probabilities
"""


def answer_all(data_dir: Path) -> dict[str, int]:
    library = load_library([data_dir])
    store = open_store(data_dir)
    session = start_review(library, store, Settings(), NOW)
    while session.next_card(NOW) and store.ledger.seq < 3:
        session.answer(Grade.EASY, NOW)
    reps = {library.cards[c].front: r.reps for c, r in store.ledger.records.items()}
    store.close()
    return reps


def reopen(data_dir: Path):
    library = load_library([data_dir])
    store = open_store(data_dir)
    return library, store, reconcile(library, store)


def history_by_front(library, store) -> dict[str, int]:
    return {card.front: store.ledger.record(cid).reps for cid, card in library.cards.items()}


def test_small_edits_keep_history_new_text_starts_fresh_removed_is_orphaned(data_dir: Path):
    deck = data_dir / "decks" / "ml.md"
    deck.write_text(DECK)
    assert answer_all(data_dir) == {
        "What is a tensor?": 1,
        "What does an epoch mean?": 1,
        "softmax": 1,
    }
    deck.write_text(
        DECK.replace("multi-dimensional array", "multidimensional array")  # a typo fix
        .replace(
            "What does an epoch mean?\nA: One full pass over the training set.",
            "Why shuffle the data each epoch?\nA: So batches differ between passes.",
        )
        .replace("softmax :: turns scores into probabilities\n", "")
    )
    library, store, result = reopen(data_dir)
    assert len(result.relinked) == 1
    assert history_by_front(library, store) == {
        "What is a tensor?": 1,
        "Why shuffle the data each epoch?": 0,
    }
    assert len(result.orphans) == 2  # the rewritten question and the removed card
    for orphan in result.orphans:
        assert store.ledger.record(orphan).reps == 1  # history kept, never deleted
    assert len(store.card_history(next(iter(result.relinked))[1])) == 1
    store.close()

    _, store, again = reopen(data_dir)
    assert again.relinked == [] and sorted(again.orphans) == sorted(result.orphans)
    store.close()


def test_whitespace_edits_keep_the_same_card(data_dir: Path):
    deck = data_dir / "decks" / "ml.md"
    deck.write_text(DECK)
    answer_all(data_dir)
    deck.write_text(DECK.replace("Q: What is a tensor?", "Q:   What is  a tensor?"))
    library, store, result = reopen(data_dir)
    assert result.relinked == [] and result.orphans == []
    assert history_by_front(library, store)["What is  a tensor?"] == 1
    store.close()
