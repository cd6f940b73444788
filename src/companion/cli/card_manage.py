"""`companion cards list|suspend|unsuspend|reset QUERY`: the card browser from a shell."""

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from companion.cli.console import fail
from companion.config import Settings, options_deck
from companion.content.loader import load_library
from companion.srs.card_query import QueryError
from companion.store import open_store


def list_cards(data_dir: Path, content_dirs: list[Path], query: str, as_json: bool) -> int:
    """Print the cards a search matches: a table, or a JSON list."""
    from companion.services.card_browser import find_cards, when_due

    now = datetime.now().astimezone()
    library = load_library(content_dirs)
    store = open_store(data_dir, read_only=True)
    try:
        rows = find_cards(library, store, query, now)
        if as_json:
            print(json.dumps(card_facts(store, rows, now), ensure_ascii=False, indent=1))
            return 0
    except QueryError as error:
        return fail(f"search {query!r}: {error}")
    finally:
        store.close()
    for row in rows:
        front = " ".join(row.front.split())[:60]
        print(f"{row.card_id}  {row.state:<9} {when_due(row, now):<10} {row.deck:<20} {front}")
    print(f"{len(rows)} card{'' if len(rows) == 1 else 's'}")
    return 0


def card_facts(store, rows: list, now: datetime) -> list[dict]:  # type: ignore[no-untyped-def]
    """Each row as JSON, with its FSRS memory now (stability and difficulty, and the chance of
    recall by its deck's parameters) and, for an imported card, which Anki card it is."""
    from companion.srs.scheduling import DeckSchedulers, retrievability

    schedulers = DeckSchedulers(store.settings, fuzz=False)
    origins = store.card_origins()
    facts = []
    for row in rows:
        fact = {k: v for k, v in asdict(row).items() if k != "haystack"}
        record = store.ledger.records.get(row.card_id)
        fsrs = record.fsrs if record is not None else None
        scheduler = schedulers.for_options(options_deck(store.settings, row.deck))
        known = fsrs is not None and fsrs.get("stability") is not None
        fact["stability"] = fsrs["stability"] if known else None
        fact["difficulty"] = fsrs["difficulty"] if known else None
        fact["retrievability"] = retrievability(scheduler, record, now) if known else None
        fact["anki"] = origins.get(row.card_id)
        facts.append(fact)
    return facts


def change_cards(
    data_dir: Path,
    content_dirs: list[Path],
    settings: Settings,
    action: str,
    query: str,
    clear_counts: bool = False,
) -> int:
    """Suspend, unsuspend or reset the cards a search matches; say how many changed."""
    from companion.services.card_browser import find_cards, reset_cards, set_suspended

    if not query.strip():
        return fail(f"'cards {action}' needs a search (to change every card, say \"deck:*\")")
    now = datetime.now().astimezone()
    library = load_library(content_dirs)
    store = open_store(data_dir, settings=settings)
    try:
        rows = find_cards(library, store, query, now)
        ids = [row.card_id for row in rows]
        if action == "reset":
            changed = reset_cards(store, ids, clear_counts)
        else:
            changed = set_suspended(store, ids, action == "suspend")
    except QueryError as error:
        return fail(f"search {query!r}: {error}")
    finally:
        store.close()
    done = {"suspend": "suspended", "unsuspend": "unsuspended", "reset": "reset to new"}[action]
    plural = "" if changed == 1 else "s"
    print(f"{changed} card{plural} {done} ({len(rows) - changed} of {len(rows)} already were).")
    return 0


def spread_cards(
    data_dir: Path, content_dirs: list[Path], settings: Settings, days: int | None, undo: bool
) -> int:
    """`cards spread DAYS` / `cards spread --undo`."""
    from companion.services.backlog import spread_backlog, undo_spread

    if not undo and (days is None or not 1 <= days <= 365):
        return fail("'cards spread' needs a number of days from 1 to 365 (or --undo)")
    now = datetime.now().astimezone()
    store = open_store(data_dir, settings=settings)
    try:
        if undo:
            back = undo_spread(store, now)
            print(f"Put back {back} card{'' if back == 1 else 's'} the latest spread moved."
                  if back else "No spread to put back.")  # fmt: skip
            return 0
        done = spread_backlog(load_library(content_dirs), store, settings, now, days)  # type: ignore[arg-type]
    finally:
        store.close()
    if not done.moved:
        print(f"{done.before_today} reviews are due today: nothing to spread.")
        return 0
    print(
        f"Spread {done.before_today} reviews due today over {done.days} days, the most at risk "
        f"first: {done.moved} moved, at most {done.most_a_day} a day. "
        "'companion cards spread --undo' puts them back."
    )
    return 0


def optimize(data_dir: Path, settings: Settings) -> int:
    """Fit FSRS to the learner's log and say what it changed."""
    from companion.services.fsrs_fit import fit_parameters

    store = open_store(data_dir, settings=settings)
    try:
        result = fit_parameters(store, settings, datetime.now().astimezone())
    finally:
        store.close()
    if result.needed:
        print(
            f"Not enough history yet: {result.items} training items from "
            f"{result.reviews} reviews; the optimizer needs {result.needed} more (answers "
            "on a later day than the card's previous answer). FSRS's defaults stay in use."
        )
        return 0
    print(
        f"Fitted FSRS on {result.items} training items from {result.reviews} reviews: "
        f"log loss {result.loss_before:.4f} -> {result.loss_after:.4f}, "
        f"RMSE {result.rmse_before:.2%} -> {result.rmse_after:.2%}."
    )
    if result.saved:
        print("Saved in fsrs-parameters.json; used from your next session.")
    else:
        print("The fitted parameters predict your log no better: the ones in use are kept.")
    return 0
