"""Build Anki packages shaped like a real collection, with Anki's own library and scheduler.

Run in a side virtual environment (anki is never a dependency of companion), on Debian with
libfaketime (`apt install faketime`); the script runs itself under it:
    python3 -m venv /tmp/ankienv && /tmp/ankienv/bin/pip install anki
    TZ=UTC /tmp/ankienv/bin/python scripts/make_anki_history.py tests/services/fixtures

Anki reads the clock itself, so the days go by through libfaketime: the script moves a
timestamp file forward and Anki's scheduler answers "now". About 19 months of study at every
hour of the day (evenings past midnight included), with gaps, over 300+ cards of every stock
note type (Basic, reversed, optional reversed, type-in, Cloze, Image Occlusion) and a custom
3-field, 2-template type, in decks whose options differ (new/day, reviews/day, steps,
relearning steps, desired retention, maximum interval, leech threshold, FSRS parameters).
On the way: lapses and leeches, Forget, set due date, filtered decks (rescheduling and not),
flags, suspended and buried cards. Fields hold what notes hold: code, sup/sub, entities,
lists, tables, MathJax and [$]/[latex], sound, images with spaces and accents in their names.

Two collections from the same seed: FSRS off (SM-2 scheduling; Anki computes memory states
from the revlog on request) and FSRS on (memory states kept by Anki as it answers). Each is
written as `anki-history-{sm2,fsrs}.apkg` with `.expected.json` beside it: what Anki says of
every card (queue, type, due, interval, reps, lapses, flags, memory state, the interval each
grade would give now, the question and answer as rendered) and of every deck's options.
"""

import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
FIRST_DAY = datetime(2024, 4, 1, tzinfo=UTC)
DAYS = 580
SEED = 20240401


def main() -> None:
    out = Path(sys.argv[1]).resolve()
    if "FAKETIME_TIMESTAMP_FILE" not in os.environ:
        stamp = Path(tempfile.mkdtemp()) / "now"
        stamp.write_text(FIRST_DAY.strftime("%Y-%m-%d %H:%M:%S\n"))
        env = {
            **os.environ,
            "LD_PRELOAD": FAKETIME,
            "FAKETIME_TIMESTAMP_FILE": str(stamp),
            "FAKETIME_NO_CACHE": "1",
            "TZ": os.environ.get("TZ", "UTC"),
        }
        sys.exit(subprocess.call([sys.executable, __file__, *sys.argv[1:]], env=env))
    out.mkdir(parents=True, exist_ok=True)
    for fsrs in (False, True):
        build(out, fsrs)


class Clock:
    """The time Anki sees, moved by rewriting libfaketime's timestamp file."""

    def __init__(self) -> None:
        self.path = Path(os.environ["FAKETIME_TIMESTAMP_FILE"])
        self.now = FIRST_DAY

    def set(self, moment: datetime) -> None:
        self.now = moment
        self.path.write_text(moment.strftime("%Y-%m-%d %H:%M:%S\n"))

    def advance(self, seconds: float) -> None:
        self.set(self.now + timedelta(seconds=seconds))


def build(out: Path, fsrs: bool) -> None:
    from anki.collection import Collection, ExportAnkiPackageOptions

    rng = random.Random(SEED)
    clock = Clock()
    clock.set(FIRST_DAY + timedelta(hours=9))
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        col.set_config("fsrs", fsrs)
        decks = make_decks(col, fsrs)
        add_notes(col, decks, rng, Path(tmp))
        study(col, clock, rng)
        finish(col, clock, rng)
        name = "anki-history-fsrs" if fsrs else "anki-history-sm2"
        col.export_anki_package(
            out_path=str(out / f"{name}.apkg"),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False
            ),
            limit=None,
        )
        facts = expected(col, clock)
        print(
            name,
            len(facts["cards"]),
            "cards,",
            facts["revlog_rows"],
            "revlog rows, kinds",
            facts["revlog_kinds"],
            file=sys.stderr,
        )
        (out / f"{name}.expected.json").write_text(json.dumps(facts, indent=1) + "\n")
        col.close()


# -- decks and their options -----------------------------------------------------------
PRESETS = {
    # name: (new/day, reviews/day, steps, relearning steps, retention, max interval, leech)
    "Foundations": (3, 150, [1, 10], [10], 0.90, 3650, 5),
    "Vision": (2, 100, [2, 15, 60], [5, 30], 0.85, 365, 4),
    "Languages": (4, 200, [1, 10, 1440], [10], 0.92, 36500, 8),
    "Bio": (1, 80, [5], [], 0.88, 180, 6),
}
DECKS = {
    "DL::Foundations": "Foundations",
    "DL::Vision": "Vision",
    "Languages::German": "Languages",
    "Languages::German::Spelling": "Languages",
    "Languages::Vocab": "Languages",
    "Bio": "Bio",
    "Bio::Cells": "Bio",
}
VISION_PARAMS = [
    0.3,
    1.5,
    2.8,
    9.0,
    6.6,
    0.7,
    2.8,
    0.01,
    1.6,
    0.2,
    0.9,
    1.5,
    0.07,
    0.3,
    1.7,
    0.55,
    1.9,
    0.6,
    0.1,
    0.06,
    0.2,
]


def make_decks(col, fsrs: bool) -> dict[str, int]:  # type: ignore[no-untyped-def]
    default = col.decks.get_config(1)
    default["new"]["perDay"] = 5  # the parent decks': a cap over their children
    col.decks.update_config(default)
    presets = {}
    for name, (new, reviews, steps, relearn, retention, max_ivl, leech) in PRESETS.items():
        conf = col.decks.add_config_returning_id(name)
        config = col.decks.get_config(conf)
        config["new"]["perDay"] = new
        config["rev"]["perDay"] = reviews
        config["new"]["delays"] = steps
        config["lapse"]["delays"] = relearn
        config["desiredRetention"] = retention
        config["rev"]["maxIvl"] = max_ivl
        config["lapse"]["leechFails"] = leech
        config["new"]["bury"] = name == "Languages"  # siblings buried in one preset
        if fsrs and name == "Vision":
            config["fsrsParams6"] = VISION_PARAMS
        col.decks.update_config(config)
        presets[name] = conf
    ids = {}
    for deck, preset in DECKS.items():
        deck_id = col.decks.id(deck)
        record = col.decks.get(deck_id)
        record["conf"] = presets[preset]
        col.decks.save(record)
        ids[deck] = deck_id
    return ids


# -- notes -------------------------------------------------------------------------------
def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A real PNG of one colour with a darker square in it."""
    rows = b""
    for y in range(height):
        row = b"\x00"
        for x in range(width):
            inside = width // 4 <= x < width // 2 and height // 4 <= y < height // 2
            row += bytes(c // 3 for c in colour) if inside else bytes(colour)
        rows += row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def wav() -> bytes:
    """A tenth of a second of silence."""
    data = b"\x00\x00" * 800
    return (
        b"RIFF"
        + struct.pack("<I", 36 + len(data))
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
        + b"data"
        + struct.pack("<I", len(data))
        + data
    )


def vocab_type(col):  # type: ignore[no-untyped-def]
    """A custom note type: three fields, two templates, the second asking the second field."""
    models = col.models
    model = models.new("Vocab (3 fields)")
    for field in ("Word", "Meaning", "Example"):
        models.add_field(model, models.new_field(field))
    recognise = models.new_template("Recognise")
    recognise["qfmt"] = "{{Word}}"
    recognise["afmt"] = "{{FrontSide}}<hr id=answer>{{Meaning}}<br><i>{{Example}}</i>"
    recall = models.new_template("Recall")
    recall["qfmt"] = "{{Meaning}}"
    recall["afmt"] = "{{FrontSide}}<hr id=answer>{{Word}}"
    models.add_template(model, recognise)
    models.add_template(model, recall)
    models.add(model)
    return models.by_name("Vocab (3 fields)")


WORDS = [
    "gradient",
    "epoch",
    "tensor",
    "kernel",
    "stride",
    "dropout",
    "softmax",
    "logit",
    "batch",
    "momentum",
    "residual",
    "attention",
    "embedding",
    "encoder",
    "decoder",
    "pooling",
    "padding",
    "channel",
    "feature",
    "sigmoid",
    "entropy",
    "variance",
    "bias",
    "weight",
    "layer",
    "neuron",
    "optimizer",
    "scheduler",
    "token",
    "vocabulary",
]
GERMAN = [
    ("der Hund", "the dog"),
    ("die Katze", "the cat"),
    ("das Haus", "the house"),
    ("der Baum", "the tree"),
    ("die Straße", "the street"),
    ("das Brötchen", "the bread roll"),
    ("schön", "beautiful"),
    ("müde", "tired"),
    ("größer", "bigger"),
    ("die Tür", "the door"),
]

SPECIAL_FRONTS = [
    (
        "What does this print?<pre><code>for i in range(3):\n    print(i * 2)</code></pre>",
        "0, 2 and 4, each on its own line",
    ),
    (
        "Water is H<sub>2</sub>O; area grows as r<sup>2</sup>. Which is which?",
        "Subscript: 2 atoms of hydrogen; superscript: the square",
    ),
    ("In HTML, how is &lt;b&gt; written so it shows as text?", "As &amp;lt;b&amp;gt;"),
    (
        "Name the steps of training<ul><li>forward</li><li>loss</li><li>backward</li></ul>",
        "<ol><li>forward pass</li><li>loss</li><li>backward pass</li><li>step</li></ol>",
    ),
    (
        "Complete the table<table><tr><th>layer</th><th>output</th></tr><tr><td>conv</td>"
        "<td>?</td></tr></table>",
        "A feature map",
    ),
    (
        "The softmax [$]\\sigma(z)_i[/$] of a vector is?",
        "[latex]$e^{z_i} / \\sum_j e^{z_j}$[/latex]",
    ),
    (
        "How is the gradient written? \\(\\nabla f\\)",
        "The vector \\[\\partial f / \\partial x_i\\]",
    ),
    ("What does this say? [sound:hallo welt.wav]", "Hallo Welt"),
    ('Which cell is this? <img src="cell picture 1.png">', "A plant cell"),
    ('And this one? <img src="zelle-größe.png">', "An animal cell"),
]


def add_notes(col, decks: dict[str, int], rng: random.Random, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    media = {}
    for name, data in (
        ("cell picture 1.png", png(24, 16, (40, 160, 60))),
        ("zelle-größe.png", png(16, 16, (180, 60, 60))),
        ("hallo welt.wav", wav()),
        ("occlusion.png", png(32, 24, (60, 90, 200))),
    ):
        path = tmp / name
        path.write_bytes(data)
        media[name] = col.media.add_file(str(path))

    def add(notetype: str, deck: str, fields: dict[str, str], tags: list[str] = ()) -> None:
        note = col.new_note(col.models.by_name(notetype))
        for key, value in fields.items():
            note[key] = value
        note.tags = list(tags)
        col.add_note(note, decks[deck])

    for front, back in SPECIAL_FRONTS:
        add("Basic", "DL::Foundations", {"Front": front, "Back": back}, ["special"])
    for number in range(70):
        word = WORDS[number % len(WORDS)]
        deck = "DL::Foundations" if number % 2 else "DL::Vision"
        add(
            "Basic",
            deck,
            {
                "Front": f"What is a <b>{word}</b> ({number})?",
                "Back": f"The {word} is concept {number} of the course.",
            },
            ["dl", f"week{number % 8}"],
        )
    for number in range(30):
        german, english = GERMAN[number % len(GERMAN)]
        add(
            "Basic (and reversed card)",
            "Languages::German",
            {"Front": f"{german} ({number})", "Back": f"{english} ({number})"},
            ["german"],
        )
    for number in range(20):
        german, english = GERMAN[number % len(GERMAN)]
        add(
            "Basic (optional reversed card)",
            "Languages::German",
            {
                "Front": f"{english}, plural? ({number})",
                "Back": f"{german}e ({number})",
                "Add Reverse": "y" if number % 2 else "",
            },
            ["german", "plural"],
        )
    for number in range(20):
        german, english = GERMAN[number % len(GERMAN)]
        add(
            "Basic (type in the answer)",
            "Languages::German::Spelling",
            {"Front": f"Spell '{english}' in German ({number})", "Back": german.split()[-1]},
        )
    for number in range(30):
        parts = [
            "{{c1::mitochondria}} make energy",
            "{{c2::ribosomes}} make proteins",
            "{{c3::the nucleus}} holds DNA",
        ][: 1 + number % 3]
        add(
            "Cloze",
            "Bio::Cells" if number % 2 else "Bio",
            {
                "Text": f"In cell {number}: " + ", ".join(parts) + ".",
                "Back Extra": f"<i>Biology {number}</i>",
            },
        )
    vocab = vocab_type(col)
    for number in range(20):
        word = WORDS[(number * 7) % len(WORDS)]
        note = col.new_note(vocab)
        note["Word"], note["Meaning"] = f"{word} #{number}", f"the meaning of {word} #{number}"
        note["Example"] = f"An example sentence with {word} ({number})."
        col.add_note(note, decks["Languages::Vocab"])
    occlusion = col.models.by_name("Image Occlusion")
    for number in range(5):
        note = col.new_note(occlusion)
        masks = [
            f"{{{{c{k}::image-occlusion:rect:left=.{k}:top=.{k + 1}:width=.2:height=.15:oi=1}}}}"
            for k in range(1, 4)
        ]
        note["Occlusion"] = "<br>".join(masks)
        note["Image"] = f'<img src="{media["occlusion.png"]}">'
        note["Header"] = f"Parts of diagram {number}"
        note["Back Extra"] = "Three labelled parts"
        col.add_note(note, decks["Bio"])


# -- study --------------------------------------------------------------------------------
ROOTS = ("DL", "Languages", "Bio")


def grade_for(card, rng: random.Random) -> int:  # type: ignore[no-untyped-def]
    """A learner who forgets more while learning and on hard cards."""
    hard = card.note().id % 7 == 0
    again = 0.3 if card.type in (0, 1, 3) else (0.22 if hard else 0.1)
    roll = rng.random()
    if roll < again:
        return 1
    if roll < again + 0.1:
        return 2
    if roll > 0.93:
        return 4
    return 3


def session(col, clock: Clock, rng: random.Random, limit: int) -> int:  # type: ignore[no-untyped-def]
    answered = 0
    roots = list(ROOTS)
    rng.shuffle(roots)
    for root in roots:
        col.decks.select(col.decks.id(root))
        while answered < limit:
            card = col.sched.getCard()
            if card is None:
                break
            clock.advance(rng.uniform(3, 25))
            card.start_timer()
            col.sched.answerCard(card, grade_for(card, rng))
            answered += 1
    return answered


def study_hour(rng: random.Random) -> float:
    """Mornings, lunch, evenings and nights past midnight (the day before's study day)."""
    return rng.choice([6.5, 7.25, 8, 12.5, 13, 18, 19.5, 21, 22.5, 23.5, 24.5, 25.75, 26.5])


LATER_NOTES = (90, 270, 480, 575)


def add_later(col, day: int) -> None:  # type: ignore[no-untyped-def]
    """Notes added as the course goes on, so new cards wait on every day (as in any deck)."""
    for number in range(12):
        word = WORDS[(number + day) % len(WORDS)]
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"] = f"Added on day {day}: what does <i>{word}</i> mean here ({number})?"
        note["Back"] = f"Its meaning in chapter {day // 30}, item {number}."
        note.tags = ["added-later"]
        col.add_note(note, col.decks.id("DL::Vision" if number % 3 else "Bio"))


def study(col, clock: Clock, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    for day in range(DAYS):
        if day in LATER_NOTES:
            clock.set(FIRST_DAY + timedelta(days=day, hours=6))
            add_later(col, day)
        if 200 <= day < 221 or rng.random() < 0.12:
            continue  # three weeks away, and days off
        start = FIRST_DAY + timedelta(days=day, hours=study_hour(rng), minutes=rng.randrange(60))
        clock.set(start)
        session(col, clock, rng, limit=rng.choice([40, 80, 200]))
        if rng.random() < 0.6:  # back later the same day for the learning cards
            clock.advance(rng.uniform(1800, 4 * 3600))
            session(col, clock, rng, limit=60)
        events(col, clock, rng, day)


def review_cards(col, count: int, rng: random.Random) -> list[int]:  # type: ignore[no-untyped-def]
    cards = sorted(col.find_cards("is:review -is:suspended"))
    return rng.sample(cards, min(count, len(cards)))


def events(col, clock: Clock, rng: random.Random, day: int) -> None:  # type: ignore[no-untyped-def]
    """What learners do besides answering: Forget, set due date, filtered decks."""
    if day in (120, 330):
        cards = review_cards(col, 6, rng)
        col.sched.schedule_cards_as_new(cards[:3], reset_counts=False)
        col.sched.schedule_cards_as_new(cards[3:], reset_counts=True, restore_position=True)
    if day in (150, 400):
        for spec, cards in (
            ("0", review_cards(col, 3, rng)),
            ("3-7", review_cards(col, 3, rng)),
            ("10!", review_cards(col, 2, rng)),
        ):
            col.sched.set_due_date(cards, spec)
    if day in (250, 450):
        filtered(col, clock, rng, "Cram", "deck:DL* prop:ivl>3", reschedule=True)
    if day == 300:
        filtered(col, clock, rng, "Preview", "deck:Bio*", reschedule=False)


def filtered(
    col,
    clock: Clock,
    rng: random.Random,
    name: str,
    search: str,
    reschedule: bool,
    empty: bool = True,
) -> int:  # type: ignore[no-untyped-def]
    deck = col.sched.get_or_create_filtered_deck(0)
    deck.name = name
    deck.config.reschedule = reschedule
    deck.config.search_terms[0].search = search
    deck.config.search_terms[0].limit = 25
    deck_id = col.sched.add_or_update_filtered_deck(deck).id
    col.decks.select(deck_id)
    for _ in range(15):
        card = col.sched.getCard()
        if card is None:
            break
        clock.advance(rng.uniform(3, 20))
        card.start_timer()
        col.sched.answerCard(card, grade_for(card, rng))
    if empty:
        col.sched.empty_filtered_deck(deck_id)
    return deck_id


def finish(col, clock: Clock, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """The last day: a study session, then flags, suspensions, burials and a filtered deck
    left holding cards, as a collection is on any given day."""
    last = FIRST_DAY + timedelta(days=DAYS, hours=19)
    clock.set(last - timedelta(hours=2))
    add_later(col, DAYS)
    clock.set(last)
    session(col, clock, rng, limit=25)  # cut short: cards wait in their learning steps
    cards = sorted(col.find_cards("-is:new"))
    for flag in range(1, 5):
        col.set_user_flag_for_cards(flag, rng.sample(cards, 4))
    filtered(
        col, clock, rng, "Exam prep", "deck:Languages* is:review", reschedule=True, empty=False
    )
    col.sched.suspend_cards(rng.sample(sorted(col.find_cards("is:review -is:suspended")), 5))
    col.sched.bury_cards(rng.sample(sorted(col.find_cards("is:review -is:suspended")), 3))
    new = sorted(col.find_cards("is:new"))
    print("new left on the last day:", len(new), file=sys.stderr)
    col.sched.suspend_cards(rng.sample(new, min(2, len(new))))
    clock.set(last + timedelta(minutes=30))


# -- what Anki says -----------------------------------------------------------------------
def next_intervals(col, card) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """For each grade: ["days", n] or ["secs", n], as Anki would schedule it now."""
    states = col._backend.get_scheduling_states(card.id)
    result = {}
    for grade, state in zip(
        ("again", "hard", "good", "easy"),
        (states.again, states.hard, states.good, states.easy),
        strict=True,
    ):
        normal = (
            state.normal if state.HasField("normal") else state.filtered.rescheduling.original_state
        )
        kind = normal.WhichOneof("kind")
        inner = getattr(normal, kind)
        if kind == "review":
            result[grade] = ["days", inner.scheduled_days]
        elif kind in ("learning", "relearning"):
            learning = inner if kind == "learning" else inner.learning
            result[grade] = ["secs", learning.scheduled_secs]
        else:
            result[grade] = [kind, None]
    return result


def due_of(col, card) -> list:  # type: ignore[no-untyped-def]
    """Due as a date (day-based queues) or a moment (intraday learning)."""
    due = card.odue if card.odid else card.due
    if card.type == 0:
        return ["new", due]
    if card.queue == 1 or (card.type in (1, 3) and due > 1_000_000_000):
        return ["epoch", due]
    start_of_today = col.sched.day_cutoff - 86400
    moment = start_of_today + (due - col.sched.today) * 86400
    return ["date", time.strftime("%Y-%m-%d", time.gmtime(moment))]


def shown(html: str) -> str:
    """A side as rendered, without the styles and scripts every card carries."""
    import re

    return re.sub(r"(?is)<(style|script)\b.*?</\1>", "", html).strip()


def expected(col, clock: Clock) -> dict:  # type: ignore[no-untyped-def]
    # Read every card first: asking the backend about a buried card (its memory state, say)
    # can unbury the cards buried today.
    loaded = [col.get_card(card_id) for card_id in sorted(col.find_cards(""))]
    cards = []
    for card in loaded:
        card_id = card.id
        note = card.note()
        memory = card.memory_state
        computed = col.compute_memory_state(card_id)
        deck_id = card.odid or card.did
        cards.append(
            {
                "card_id": card.id,
                "note_guid": note.guid,
                "ord": card.ord,
                "notetype": note.note_type()["name"],
                "deck": col.decks.name(deck_id),
                "in_filtered_deck": bool(card.odid),
                "type": card.type,
                "queue": card.queue,
                "due": due_of(col, card),
                "ivl": card.ivl,
                "reps": card.reps,
                "lapses": card.lapses,
                "flags": card.user_flag(),
                "left": card.left,
                "memory": [memory.stability, memory.difficulty] if memory else None,
                "computed_memory": [computed.stability, computed.difficulty]
                if computed.stability is not None
                else None,
                "desired_retention": computed.desired_retention,
                "next": next_intervals(col, card) if card.queue >= 0 else None,
                "fields": dict(note.items()),
                "question": shown(card.question(reload=True)),
                "answer": shown(card.answer()),
            }
        )
    presets = {}
    for deck in DECKS:
        config = col.decks.config_dict_for_deck_id(col.decks.id(deck))
        presets[deck] = {
            "new_per_day": config["new"]["perDay"],
            "reviews_per_day": config["rev"]["perDay"],
            "steps": config["new"]["delays"],
            "relearning_steps": config["lapse"]["delays"],
            "desired_retention": config["desiredRetention"],
            "max_ivl": config["rev"]["maxIvl"],
            "leech_threshold": config["lapse"]["leechFails"],
            "fsrs_params": config.get("fsrsParams6") or [],
        }
    revlog = col.db.all("select id, cid, ease, ivl, lastIvl, factor, time, type from revlog")
    return {
        "now": int(time.time()),
        "today": col.sched.today,
        "day_cutoff": col.sched.day_cutoff,
        "rollover": col.get_config("rollover", 4),
        "fsrs": bool(col.get_config("fsrs", False)),
        "revlog_rows": len(revlog),
        "revlog_kinds": sorted({row[7] for row in revlog}),
        "first_answer": min(row[0] for row in revlog) // 1000,
        "decks": presets,
        "cards": cards,
    }


if __name__ == "__main__":
    main()
