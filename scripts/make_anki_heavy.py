"""A heavy Anki user's collection, written by Anki's own library: NOTES Basic notes in ten
decks, each card with its share of REVIEWS revlog entries spread over the two years before
the benchmark's day, at every hour, cards interleaved, then exported by Anki as a current
package (`collection.anki21b`). Scheduling stays SM-2 (companion then works out every card's
FSRS memory from its history, the heavier import).

Run with the side environment's Python (anki is never a dependency of companion):
    .anki-venv/bin/python scripts/make_anki_heavy.py OUT.apkg NOTES REVIEWS
Notes are added through `Collection.add_notes`; the revlog and the cards' states go in
through Anki's database layer (answering a million cards through the scheduler would take
hours), and the package is Anki's own export.
"""

import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)  # benchmarks/review.py's day
CREATED = datetime(2024, 1, 1, 4, tzinfo=UTC)
SPAN_S = 2 * 365 * 86400
DAY = 86400


def main() -> None:
    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

    out, notes, reviews = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        col.db.execute("update col set crt = ?", int(CREATED.timestamp()))
        basic = col.models.by_name("Basic")
        decks = [col.decks.id(f"Anki::Deck {d}") for d in range(10)]
        requests = []
        for n in range(notes):
            note = col.new_note(basic)
            note["Front"] = f"Question {n}: what does <b>term {rng.randrange(10**6)}</b> mean?"
            note["Back"] = f"Answer {n}: definition {rng.randrange(10**6)}<br>with a second line"
            note.tags = ["imported"]
            requests.append(AddNoteRequest(note, decks[n % 10]))
            if len(requests) == 5000:
                col.add_notes(requests)
                requests = []
        if requests:
            col.add_notes(requests)
        card_ids = col.db.list("select id from cards order by nid")
        per_card = max(1, reviews // len(card_ids))
        start = NOW.timestamp() - SPAN_S
        taken: set[int] = set()
        revlog, states = [], []
        for card_id in card_ids:
            moments = sorted(start + rng.random() * SPAN_S for _ in range(per_card))
            interval, lapses = 0, 0
            for number, moment in enumerate(moments):
                ease = rng.choice([1, 3, 3, 3, 4]) if number else 3
                lapses += ease == 1 and number > 0
                gap = moments[number + 1] - moment if number + 1 < len(moments) else 0
                last, interval = interval, max(1, round(gap / DAY)) if gap else interval or 1
                revlog_id = int(moment * 1000)
                while revlog_id in taken:  # ids are milliseconds and unique, as in Anki
                    revlog_id += 1
                taken.add(revlog_id)
                kind = 0 if number == 0 else (2 if ease == 1 else 1)
                revlog.append((revlog_id, card_id, -1, ease, interval, last, 2500,
                               rng.randrange(2000, 20000), kind))  # fmt: skip
            due_day = int((NOW.timestamp() - CREATED.timestamp()) // DAY) + rng.randrange(-5, 60)
            states.append((due_day, interval, per_card, lapses, card_id))
        col.db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", revlog)
        col.db.executemany(
            "update cards set type = 2, queue = 2, due = ?, ivl = ?, reps = ?, lapses = ?, "
            "factor = 2500 where id = ?",
            states,
        )
        col.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False
            ),
            limit=None,
        )
        col.close()
    print(len(card_ids), len(revlog))


if __name__ == "__main__":
    main()
