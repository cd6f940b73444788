"""Fitting FSRS to a learner's log: a realistic synthetic learner whose memory follows other
parameters than FSRS's defaults; the fitted ones predict the log better and are then used."""

import json
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Card as FsrsCard
from fsrs import Scheduler

from companion.cli.main import main
from companion.config import Settings, load_settings
from companion.content.loader import load_library
from companion.services.fsrs_fit import refit_reminder
from companion.services.study_session import start_review
from companion.srs.scheduling import Grade, make_scheduler
from companion.store import open_store

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
# A learner who forgets faster than FSRS's defaults assume (smaller initial stabilities).
TRUE_MEMORY = Scheduler(
    parameters=(
        0.08,
        0.4,
        0.9,
        3.0,
        7.2,
        0.53,
        1.46,
        0.0046,
        1.55,
        0.12,
        1.01,
        1.93,
        0.11,
        0.30,
        2.27,
        0.23,
        2.99,
        0.52,
        0.66,
        0.1,
        0.15,
    )  # fmt: skip
)


def simulate(data_dir: Path, cards: int, days: int, seed: int = 3) -> None:
    """Study every day: answer what is due, grading by whether this learner recalls."""
    rng = random.Random(seed)
    lines = [f"Fact {n} :: answer {n} {rng.randrange(10**6)}" for n in range(cards)]
    (data_dir / "decks" / "facts.md").write_text("\n".join(lines) + "\n")
    settings = replace(Settings(), enable_fuzzing=False, new_cards_per_day=20)
    library = load_library([data_dir])
    memory: dict[str, FsrsCard] = {}
    store = open_store(data_dir, settings=settings)
    try:
        for day in range(days):
            now = START + timedelta(days=day)
            session = start_review(library, store, settings, now)
            for _ in range(400):
                card_id = session.next_card(now)
                if card_id is None:
                    break
                known = memory.get(card_id)
                recall = TRUE_MEMORY.get_card_retrievability(known, now) if known else 0.0
                if known is None:
                    grade = Grade.GOOD if rng.random() < 0.6 else Grade.AGAIN
                elif rng.random() < recall:
                    grade = Grade.EASY if rng.random() < 0.1 else Grade.GOOD
                else:
                    grade = Grade.AGAIN
                memory[card_id], _ = TRUE_MEMORY.review_card(
                    known or FsrsCard(card_id=len(memory) + 1, due=now), int(grade), now
                )
                session.answer(grade, now)
                now += timedelta(seconds=20)
    finally:
        store.close()


def optimize(data_dir: Path, capsys) -> str:
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "cards", "optimize"]) == 0
    return capsys.readouterr().out


def test_too_few_reviews_says_how_many_more(data_dir: Path, capsys):
    simulate(data_dir, cards=20, days=3)
    out = optimize(data_dir, capsys)
    assert "Not enough history yet" in out and "needs" in out and "more" in out
    assert not (data_dir / "fsrs-parameters.json").exists()


def test_fitted_parameters_predict_the_log_better_are_saved_and_then_used(data_dir: Path, capsys):
    simulate(data_dir, cards=160, days=50)
    store = open_store(data_dir)
    assert refit_reminder(store, START + timedelta(days=50)) is not None  # 1,000+ reviews
    store.close()
    out = optimize(data_dir, capsys)
    words = out.split()
    before = float(words[words.index("loss") + 1])
    after = float(words[words.index("loss") + 3].rstrip(","))
    assert after < before, out
    assert "Saved in fsrs-parameters.json" in out
    saved = json.loads((data_dir / "fsrs-parameters.json").read_text())
    assert len(saved["parameters"]) == 21
    settings = load_settings(data_dir)
    assert settings.fsrs_parameters == tuple(saved["parameters"])
    assert tuple(make_scheduler(settings).parameters) == tuple(saved["parameters"])
    store = open_store(data_dir)
    assert refit_reminder(store, START + timedelta(days=51)) is None  # just fitted
    store.close()
    print(out)
