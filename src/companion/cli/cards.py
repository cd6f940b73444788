"""`companion cards import|export|list|suspend|unsuspend|reset`: Anki's plain-text notes to and
from Markdown decks, and managing cards found with a search."""

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from companion.cli.console import fail

if TYPE_CHECKING:
    from companion.config import Settings


def add_cards_parser(commands: argparse._SubParsersAction) -> None:
    """Register `cards import` and `cards export`."""
    cards = commands.add_parser(
        "cards",
        help="import or export flashcards (Anki plain text)",
        description="Move flashcards between Anki and Markdown decks.",
    )
    actions = cards.add_subparsers(dest="cards_command", metavar="ACTION", required=True)
    importer = actions.add_parser(
        "import",
        help="import an Anki package (.apkg, .colpkg) with its history, or a plain-text export",
        description="Import an Anki package (.apkg or .colpkg, from any Anki version): notes "
        "become Markdown decks under decks/ (one file per Anki deck, subdecks as folders), "
        "images are copied to media/, and every review in its history is logged, so cards "
        "keep Anki's state and due dates. Importing again updates changed notes and adds only "
        "new reviews. A .txt file is read as Anki's 'Notes in Plain Text' export (headers "
        "#separator:, #html:, #columns:, #deck:, #tags:) into one deck.",
    )
    importer.add_argument("file", type=Path, help="the .apkg, .colpkg or exported .txt file")
    importer.add_argument("--deck", help="name of the new deck (default: the file's #deck:)")
    exporter = actions.add_parser(
        "export",
        help="export every card for Anki (plain text or an .apkg package)",
        description="Write every loaded card for Anki: Basic, reversed and Cloze notes (with "
        "Back Extra), each in its deck with its tags and GUID, math as MathJax; --format apkg "
        "also packs the images. Importing it again in companion gives the same cards.",
    )
    exporter.add_argument(
        "--format",
        choices=["anki", "apkg"],
        default="anki",
        help="anki: Anki's plain text (notes, decks, tags, GUIDs); apkg: a package with media",
    )
    exporter.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    actions.add_parser(
        "optimize",
        help="fit FSRS to your own review log (used from then on)",
        description="Fit the FSRS parameters to your review log with fsrs-rs's optimizer, "
        "print the log loss before and after, and save them in fsrs-parameters.json when they "
        "predict your log better (they are used from the next session). With too few reviews "
        "it says how many more are needed.",
    )
    spreader = actions.add_parser(
        "spread",
        help="spread the reviews waiting today over DAYS days, most at risk first",
        description="After a break: move the reviews due today (and overdue) over the next "
        "DAYS days, the cards you are most likely to have forgotten first, so no day gets more "
        "than its share. Logged: --undo puts the cards of the latest spread back.",
    )
    spreader.add_argument("days", nargs="?", type=int, metavar="DAYS")
    spreader.add_argument("--undo", action="store_true", help="put the latest spread back")
    forecaster = actions.add_parser(
        "forecast",
        help="the reviews falling due on each of the next days",
        description="Print the reviews falling due on each of the next DAYS days (30 unless "
        "told), the overdue ones counted today.",
    )
    forecaster.add_argument("--days", type=int, default=30)
    forecaster.add_argument("--json", action="store_true", help="print one JSON object")
    simulator = actions.add_parser(
        "simulate",
        help="minutes a day and cards remembered for each desired retention",
        description="Simulate a year of study with your FSRS parameters, collection size and "
        "daily limits at each desired retention from 0.70 to 0.97 (fsrs-rs's simulator, as "
        "Anki's workload table), and print the minutes a day and the cards remembered.",
    )
    simulator.add_argument("--json", action="store_true", help="print one JSON object")
    lister = actions.add_parser(
        "list",
        help="list the cards a search matches (Anki's search words)",
        description="List cards. QUERY uses Anki's search words: deck:NAME, tag:NAME, "
        "is:new|learn|review|due|suspended|buried|leech|orphan, prop:lapses>3, prop:ivl>=21, "
        "prop:due=1, rated:7 or rated:7:1, item:ID, phase:NAME, free text; -term negates, "
        "'or' gives alternatives, * is a wildcard.",
    )
    lister.add_argument("query", nargs="?", default="", help="the search (default: every card)")
    lister.add_argument("--json", action="store_true", help="print a JSON list")
    for action, words in [
        ("suspend", "take the matching cards out of review"),
        ("unsuspend", "put the matching suspended cards back in review"),
        ("reset", "make the matching cards new again (Anki's Forget); history stays in the log"),
    ]:
        changer = actions.add_parser(
            action, help=words, description=words[0].upper() + words[1:] + "."
        )
        changer.add_argument("query", help="the search, as for 'cards list'")
        if action == "reset":
            changer.add_argument(
                "--clear-counts", action="store_true", help="also set reviews and lapses to 0"
            )


def run_cards(
    args: argparse.Namespace, data_dir: Path, content_dirs: list[Path], settings: "Settings"
) -> int:
    """Run a `cards` action; 0 on success, 2 on unreadable input."""
    from companion.cli.card_manage import change_cards, list_cards

    if args.cards_command == "optimize":
        from companion.cli.card_manage import optimize

        return optimize(data_dir, settings)
    if args.cards_command in ("forecast", "simulate"):
        from companion.cli import card_plans

        if args.cards_command == "forecast":
            if not 1 <= args.days <= 3650:
                from companion.cli.console import fail

                return fail("'cards forecast --days' takes 1 to 3650")
            return card_plans.forecast(data_dir, settings, args.days, args.json)
        return card_plans.simulate(data_dir, content_dirs, settings, args.json)
    if args.cards_command == "spread":
        from companion.cli.card_manage import spread_cards

        return spread_cards(data_dir, content_dirs, settings, args.days, args.undo)
    if args.cards_command == "list":
        return list_cards(data_dir, content_dirs, args.query, args.json)
    if args.cards_command in ("suspend", "unsuspend", "reset"):
        clear = getattr(args, "clear_counts", False)
        return change_cards(data_dir, content_dirs, settings, args.cards_command, args.query, clear)
    # Imported here, not at the top: `companion` imports this module to build its parser,
    # and the app's start-up has no use for the Anki converter.
    from companion.content.anki import cards_to_anki
    from companion.content.loader import load_library
    from companion.store.deck_files import write_export

    if args.cards_command == "import":
        if args.file.suffix.lower() in (".apkg", ".colpkg"):
            from companion.cli.anki_package import import_anki_package

            return import_anki_package(args.file, data_dir, settings)
        return _import(args.file, args.deck, data_dir)
    if args.format == "apkg":
        from companion.cli.anki_package import export_anki_package

        return export_anki_package(data_dir, content_dirs, args.output)
    library = load_library(content_dirs)
    cards = list(library.cards.values())
    write_export(args.output, cards_to_anki(cards, "companion"))
    print(f"Exported {len(cards)} cards to {args.output}")
    return 0


def _import(path: Path, deck: str | None, data_dir: Path) -> int:
    from companion.content.anki import notes_to_markdown, parse_anki_export
    from companion.content.errors import ContentError
    from companion.content.textfile import read_markdown
    from companion.store.deck_files import write_new_deck
    from companion.text import slugify

    try:
        text = read_markdown(path)
    except ContentError as error:
        return fail(str(error))
    imported = parse_anki_export(text, str(path))
    for problem in imported.problems:
        print(problem, file=sys.stderr)
    if not imported.notes:
        return fail(f"{path}: no notes found")
    title = deck or (imported.deck or path.stem).split("::")[-1]
    written = write_new_deck(
        data_dir / "decks", slugify(title), notes_to_markdown(imported.notes, title)
    )
    print(
        f"Imported {len(imported.notes)} notes into {written}"
        + (f" ({len(imported.problems)} rows skipped)" if imported.problems else "")
    )
    return 0
