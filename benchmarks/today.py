"""The Today plan at 50,000 cards, 500,000 logged reviews and 5 roadmaps of 200 items, every
card linked to an item (`<!-- item: ID -->`), the worst case for memory on the roadmap. Prints
one JSON object.

Figures: the plan as the Today pane works it out on each refresh (`plan_ms`: the best of 5,
with the app's review session and its kept memory of the cards), the first plan with neither
(`plan_cold_ms`, as `today --json` works it out), the memory of every item and phase of the
five roadmaps (`roadmap_memory_ms`, what the Roadmap pane's labels need), and
`companion today --json` as a whole process, printing the plan it kept (`today_json_kept_s`)
and working it out afresh (`today_json_worked_out_s`; `..._after_app_s` once the app saved
the snapshot, in deck order), and the first call after a few
answers in the app, which keeps the plan as it closes (`today_json_after_app_s`), and the
first call of the next morning after a plan was worked out (`today_json_next_morning_s`,
the clock moved by faketime, with whether it printed the plan worked out afresh then), the
best of 3 (a bare Python start, `python_s`, and under faketime),
and the workload table of `cards simulate` for the collection (`simulate_s`).
Run: python benchmarks/today.py [--cards N] [--reviews N]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from review import NOW, build_collection  # noqa: E402

from companion.config import load_settings  # noqa: E402
from companion.content.loader import load_library  # noqa: E402
from companion.paths import ensure_data_dir  # noqa: E402
from companion.services.content_sources import load_content  # noqa: E402
from companion.services.review import reconcile  # noqa: E402
from companion.services.roadmap_memory import RoadmapMemory  # noqa: E402
from companion.services.study_session import start_review  # noqa: E402
from companion.services.today import plan_today  # noqa: E402
from companion.services.today_cache import sources_stamp  # noqa: E402
from companion.services.today_keeper import keep_app_plan  # noqa: E402
from companion.services.workload import simulate_workload  # noqa: E402
from companion.srs.review_queue import next_day_start  # noqa: E402
from companion.srs.scheduling import Grade  # noqa: E402
from companion.store import open_store  # noqa: E402

ROADMAPS, PHASES, ITEMS_PER_PHASE = 5, 5, 40


def write_roadmaps(data_dir: Path) -> list[list[str]]:
    """Five roadmaps; each one's item ids, in order."""
    (data_dir / "roadmaps").mkdir(exist_ok=True)
    for number in range(ROADMAPS):
        lines = [f"# Plan {number}\n"]
        for phase in range(PHASES):
            lines.append(f"\n## Phase {number}.{phase}\n\n")
            lines += [f"- [ ] Topic {number}.{phase}.{item} [3 hours]\n"
                      for item in range(ITEMS_PER_PHASE)]  # fmt: skip
        (data_dir / "roadmaps" / f"plan-{number}.md").write_text("".join(lines))
    library = load_library([data_dir])
    return [[item.id for item in roadmap.items] for roadmap in library.roadmaps]


def link_cards(data_dir: Path, items: list[list[str]]) -> None:
    """Put a `<!-- item: ID -->` line before every card (the card ids stay: a mark is not the
    card's text)."""
    card = re.compile(r"^Deck \d+ question \d+:", re.M)
    for path in sorted((data_dir / "decks").glob("synthetic-*.md")):
        deck = int(path.stem.split("-")[1])
        count = iter(range(10**9))

        def mark(match: re.Match, deck: int = deck, count=count) -> str:  # noqa: ANN001
            n = next(count)
            item = items[(deck + n) % ROADMAPS][n % (PHASES * ITEMS_PER_PHASE)]
            return f"<!-- item: {item} -->\n{match.group(0)}"

        path.write_text(card.sub(mark, path.read_text()))


def best_ms(run, rounds: int = 5) -> float:  # noqa: ANN001
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=50_000)
    parser.add_argument("--reviews", type=int, default=500_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = ensure_data_dir(Path(tmp) / "data")
        build_collection(data_dir, args.cards, args.reviews)
        link_cards(data_dir, write_roadmaps(data_dir))
        settings = load_settings(data_dir)
        library = load_content(data_dir)
        store = open_store(data_dir, settings=settings)
        linked = sum(len(c) for c in library.cards.cards_of_items().values())
        started = time.perf_counter()
        plan = plan_today(library, store, settings, NOW)  # as `today --json` works it out
        cold_ms = (time.perf_counter() - started) * 1000
        session = start_review(library, store, settings, NOW)
        memory = RoadmapMemory(library, store, settings)
        plan_today(library, store, settings, NOW, session, memory)  # the app's first
        plan_ms = best_ms(lambda: plan_today(library, store, settings, NOW, session, memory))

        def every_memory() -> None:
            for roadmap in library.roadmaps:
                memory.of_items(roadmap, NOW)
                memory.of_phases(roadmap, NOW)

        memory_ms = best_ms(every_memory)
        store.close()
        started = time.perf_counter()
        simulate_workload(settings, len(library.cards))  # `cards simulate`'s table
        simulate_s = time.perf_counter() - started
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        command = [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "today",
                   "--json"]  # fmt: skip
        subprocess.run(command, capture_output=True, check=True, env=env)  # caches warm
        kept = data_dir / "cache" / "today.packed"
        worked_out_s, kept_s = [], []
        for _ in range(3):
            kept.unlink()
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, env=env)
            worked_out_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, env=env)
            kept_s.append(time.perf_counter() - started)
        # the next morning (8 am), after a plan was worked out the evening before: the plans
        # kept ahead hold it (the clock moved for the whole process by faketime)
        kept.unlink()
        subprocess.run(command, capture_output=True, check=True, env=env)
        morning = next_day_start(datetime.now(UTC)) + timedelta(hours=4)
        at_morning = ["faketime", "-f", f"@{morning.strftime('%Y-%m-%d %H:%M:%S')}", *command]
        morning_s, printed = [], set()
        for _ in range(3):
            started = time.perf_counter()
            run = subprocess.run(at_morning, capture_output=True, check=True, env=env, text=True)
            morning_s.append(time.perf_counter() - started)
            printed.add(run.stdout)
        kept.unlink()  # worked out afresh then: the same plan
        fresh = subprocess.run(at_morning, capture_output=True, check=True, env=env, text=True)
        morning_matches = printed == {fresh.stdout}
        started = time.perf_counter()
        subprocess.run(["faketime", "-f", "+0", sys.executable, "-c", "pass"], check=True, env=env)
        faketime_python_s = time.perf_counter() - started
        after_app_s = []
        for _ in range(3):  # a few answers in the app, which keeps the plan as it closes
            store = open_store(data_dir, settings=settings)
            sources = sources_stamp(data_dir)
            library = load_content(data_dir)
            reconcile(library, store)  # as the app starts: the snapshot is saved in deck order
            now = datetime.now(UTC)
            session = start_review(library, store, settings, now)
            for _ in range(5):
                card = session.next_card(now)
                if card is None:
                    break
                session.show(card)
                session.answer(Grade.GOOD, now, duration_ms=4000)
            keep_app_plan(library, store, settings, sources, now,
                          RoadmapMemory(library, store, settings))  # fmt: skip
            store.close()
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, env=env)
            after_app_s.append(time.perf_counter() - started)
        worked_out_after_app_s = []  # the snapshot as the app saves it, in deck order
        for _ in range(3):
            kept.unlink()
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, env=env)
            worked_out_after_app_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=env)
        python_s = time.perf_counter() - started
    print(json.dumps({
        "cards": args.cards, "review_log_entries": args.reviews, "roadmaps": ROADMAPS,
        "items": ROADMAPS * PHASES * ITEMS_PER_PHASE, "linked_cards": linked,
        "plan_ms": round(plan_ms, 1), "plan_cold_ms": round(cold_ms, 1),
        "roadmap_memory_ms": round(memory_ms, 1),
        "today_json_kept_s": round(min(kept_s), 3),
        "today_json_worked_out_s": round(min(worked_out_s), 3),
        "today_json_worked_out_after_app_s": round(min(worked_out_after_app_s), 3),
        "today_json_after_app_s": round(min(after_app_s), 3), "python_s": round(python_s, 3),
        "today_json_next_morning_s": round(min(morning_s), 3),
        "next_morning_plan_is_the_fresh_one": morning_matches,
        "python_under_faketime_s": round(faketime_python_s, 3),
        "simulate_s": round(simulate_s, 2),
        "due_reviews": plan.due_reviews, "weak_phases": len(plan.weak_phases),
        "cpu_count": os.cpu_count(),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
