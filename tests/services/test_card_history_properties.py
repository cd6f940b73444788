"""Random sequences of answers, in-app edits, hand edits, reverts, cloze changes, moves between
decks and restarts: no answered review is lost, no history lands on a card whose text did not
descend from it, and every card present in a deck stays reviewable."""

import random
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from companion.config import Settings
from companion.content.deck import Card, card_id
from companion.content.loader import load_library
from companion.paths import ensure_data_dir
from companion.services.card_writing import edit_card
from companion.services.review import reconcile, studied_cards
from companion.services.study_session import build_queue, start_review
from companion.srs.event_order import event_id, undone_ids
from companion.srs.scheduling import Grade
from companion.store import open_store

START = datetime(2026, 3, 4, 9, tzinfo=UTC)
DECKS = ("alpha.md", "beta.md")
SETTINGS = Settings(enable_fuzzing=False, bury_siblings=False)


def letters(rng: random.Random, count: int) -> str:
    """Random words: two texts made this way are never 80% alike by chance."""
    return " ".join(
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)) for _ in range(count)
    )


@dataclass
class Deletion:
    """One cloze deletion as the test knows it: its lineage and the word it hides."""

    lineage: int
    word: str


@dataclass
class Note:
    """A card (basic) or a cloze sentence, with every text it has had."""

    kind: str
    deck: str
    versions: list = field(default_factory=list)
    """Basic: (front, back) pairs. Cloze: (words, deletions) pairs, deletions in order."""
    lineage: int = 0

    def markdown(self) -> str:
        if self.kind == "basic":
            front, back = self.versions[-1]
            return f"Q: {front}\nA: {back}\n"
        words, deletions = self.versions[-1]
        hidden = {d.word: number for number, d in enumerate(deletions, 1)}
        return " ".join(f"{{{{c{hidden[w]}::{w}}}}}" if w in hidden else w for w in words) + "\n"

    def cards(self) -> list[tuple[int, str, str]]:
        """(lineage, card id now, what it hides) for each card the note makes now."""
        if self.kind == "basic":
            front, back = self.versions[-1]
            return [(self.lineage, card_id("basic", front, back), "")]
        sentence = self.markdown().strip()
        return [
            (d.lineage, card_id("cloze", sentence, str(number)), d.word)
            for number, d in enumerate(self.versions[-1][1], 1)
        ]


class CardHistoryMachine(RuleBasedStateMachine):
    """The learner's decks and history against what the test knows they must be."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp())
        self.data_dir = ensure_data_dir(self.tmp / "data")
        self.notes: list[Note] = []
        self.reps: dict[int, int] = {}
        self.next_lineage = 0
        self.seen: dict[str, int] = {}
        """Every card id the decks have held, with its lineage."""
        self.now = START
        self.store = None
        self.library = None
        self.session = None

    def teardown(self) -> None:
        if self.store is not None:
            self.store.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the model ----------------------------------------------------------
    def lineage(self) -> int:
        self.next_lineage += 1
        self.reps[self.next_lineage] = 0
        return self.next_lineage

    def write_decks(self) -> None:
        for deck in DECKS:
            text = "\n".join(n.markdown() for n in self.notes if n.deck == deck)
            (self.data_dir / "decks" / deck).write_text(f"# {deck}\n\n{text}")

    def restart(self) -> None:
        if self.store is not None:
            self.store.close()
        self.store = open_store(
            self.data_dir, settings=SETTINGS, clock=lambda: self.now.timestamp()
        )
        self.library = load_library([self.data_dir])
        reconcile(self.library, self.store)
        self.session = start_review(self.library, self.store, SETTINGS, self.now)

    def card(self, note: Note, index: int) -> Card:
        _, cid, _ = note.cards()[index % len(note.cards())]
        return self.library.cards[cid]

    # -- rules ----------------------------------------------------------------
    @initialize(seed=st.integers(0, 2**32), basics=st.integers(1, 3), clozes=st.integers(1, 2))
    def decks(self, seed: int, basics: int, clozes: int) -> None:
        self.rng = random.Random(seed)
        for number in range(basics):
            note = Note("basic", DECKS[number % 2], lineage=self.lineage())
            note.versions.append((letters(self.rng, 4) + "?", letters(self.rng, 5)))
            self.notes.append(note)
        for number in range(clozes):
            words = letters(self.rng, 8).split()
            deletions = [Deletion(self.lineage(), w) for w in words[1:7:2]]
            self.notes.append(Note("cloze", DECKS[number % 2], [(words, deletions)]))
        self.write_decks()
        self.restart()

    @rule(which=st.integers(0, 99), index=st.integers(0, 9), grade=st.sampled_from(list(Grade)))
    def answer(self, which: int, index: int, grade: Grade) -> None:
        note = self.notes[which % len(self.notes)]
        lineage, cid, _ = note.cards()[index % len(note.cards())]
        self.session.show(cid)
        self.session.answer(grade, self.now)
        self.reps[lineage] += 1
        self.now += timedelta(minutes=7)

    @rule(which=st.integers(0, 99))
    def edit_in_app(self, which: int) -> None:
        """A basic card gets a new answer, or a cloze sentence a new word, through `e`."""
        note = self.notes[which % len(self.notes)]
        card = self.card(note, 0)
        if note.kind == "basic":
            front, _ = note.versions[-1]
            note.versions.append((front, letters(self.rng, 5)))
            edit_card(self.library, self.store, card, front, note.versions[-1][1])
        else:
            words, deletions = note.versions[-1]
            note.versions.append(([*words, letters(self.rng, 1)], deletions))
            edit_card(self.library, self.store, card, note.markdown().strip(), "")
        self.session.queue = build_queue(self.library, self.store, SETTINGS, self.now)

    @rule(which=st.integers(0, 99), add=st.booleans(), index=st.integers(0, 9))
    def change_clozes_in_app(self, which: int, add: bool, index: int) -> None:
        """A deletion added, or one removed (the later ones are renumbered), through `e`."""
        clozes = [n for n in self.notes if n.kind == "cloze"]
        if not clozes:
            return
        note = clozes[which % len(clozes)]
        card = self.card(note, 0)
        words, deletions = note.versions[-1]
        hidden = {d.word for d in deletions}
        plain = [w for w in words if w not in hidden]
        if add and plain:
            word = plain[index % len(plain)]
            added = Deletion(self.lineage(), word)
            ordered = [d for w in words for d in [*deletions, added] if d.word == w]
            note.versions.append((words, ordered))
            # A card's identity is its text: a deletion added again exactly as it once was
            # is that card again, with its history.
            for _, cid, hidden in note.cards():
                if hidden == word and cid in self.seen:
                    self.reps.pop(added.lineage)
                    added.lineage = self.seen[cid]
        elif not add and len(deletions) > 1:
            gone = deletions[index % len(deletions)]
            note.versions.append(
                ([w for w in words if w != gone.word], [d for d in deletions if d is not gone])
            )
        else:
            return
        edit_card(self.library, self.store, card, note.markdown().strip(), "")
        self.session.queue = build_queue(self.library, self.store, SETTINGS, self.now)

    @rule(which=st.integers(0, 99))
    def edit_by_hand(self, which: int) -> None:
        """A small fix in a text editor: one letter of the answer or of a plain word."""
        note = self.notes[which % len(self.notes)]
        if note.kind == "basic":
            front, back = note.versions[-1]
            note.versions.append((front, "x" + back[1:] if back[0] != "x" else "y" + back[1:]))
        else:
            words, deletions = note.versions[-1]
            hidden = {d.word for d in deletions}
            words = list(words)
            spot = next((i for i, w in enumerate(words) if w not in hidden), None)
            if spot is None:  # every word is hidden: nothing plain to fix
                return
            words[spot] = ("x" if words[spot][0] != "x" else "y") + words[spot][1:]
            note.versions.append((words, deletions))
        self.write_decks()
        self.restart()

    @rule(which=st.integers(0, 99), index=st.integers(0, 9))
    def edit_a_hidden_word_by_hand(self, which: int, index: int) -> None:
        """A typo fixed in what a cloze hides: still the same card (same number)."""
        clozes = [n for n in self.notes if n.kind == "cloze"]
        if not clozes:
            return
        note = clozes[which % len(clozes)]
        words, deletions = note.versions[-1]
        gone = deletions[index % len(deletions)]
        fixed = ("x" if gone.word[0] != "x" else "y") + gone.word[1:]
        if fixed in words:
            return
        changed = Deletion(gone.lineage, fixed)
        note.versions.append(
            (
                [fixed if w == gone.word else w for w in words],
                [changed if d is gone else d for d in deletions],
            )
        )
        self.write_decks()
        self.restart()

    @rule(which=st.integers(0, 99))
    def revert_by_hand(self, which: int) -> None:
        """The note goes back to the text it had before its last change."""
        note = self.notes[which % len(self.notes)]
        if len(note.versions) < 2:
            return
        note.versions.append(note.versions[-2])
        self.write_decks()
        self.restart()

    @rule(which=st.integers(0, 99))
    def move_to_the_other_deck(self, which: int) -> None:
        note = self.notes[which % len(self.notes)]
        note.deck = DECKS[1 - DECKS.index(note.deck)]
        self.write_decks()
        self.restart()

    @rule()
    def restart_the_app(self) -> None:
        self.restart()

    # -- what must always hold ----------------------------------------------
    @invariant()
    def remember_cards(self) -> None:
        for note in self.notes:
            for lineage, cid, _ in note.cards():
                self.seen.setdefault(cid, lineage)

    @invariant()
    def no_answer_is_lost(self) -> None:
        if self.store is None:
            return
        events = self.store.review_events()
        undone = undone_ids(events)
        answers = [e for e in events if e["kind"] == "review" and event_id(e) not in undone]
        assert len(answers) == sum(self.reps.values())

    @invariant()
    def the_retired_index_matches_the_records(self) -> None:
        if self.store is None:
            return
        ledger = self.store.ledger
        assert ledger.retired == {cid for cid, r in ledger.records.items() if r.retired}

    @invariant()
    def every_card_in_a_deck_has_its_own_history_and_is_reviewable(self) -> None:
        if self.store is None:
            return
        studied = set(studied_cards(self.library, self.store))
        queue = build_queue(self.library, self.store, SETTINGS, self.now + timedelta(days=400))
        waiting = {*queue._new, *queue._ready_learning, *queue._ready_review}
        waiting |= {c for _, c in queue._learning_heap + queue._review_heap}
        for note in self.notes:
            for lineage, cid, word in note.cards():
                record = self.store.ledger.records.get(cid)
                reps = record.reps if record is not None and not record.is_new else 0
                assert reps == self.reps[lineage], (note.kind, word, note.versions)
                assert cid in studied and cid in waiting, (note.kind, word)


TestCardHistory = CardHistoryMachine.TestCase
TestCardHistory.settings = settings(
    max_examples=300,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
