"""Keep roadmap progress through edits to the roadmap file, as review history is kept for cards.

Each piece of progress is matched to the item it was set on by that item's fingerprint (text,
links, phase, parent, neighbours, rank among equal texts) over the whole roadmap; see
content/item_identity.py. Progress that cannot be placed is kept under an id no item has,
said in one line per item, and placed again when its item comes back (an edit reverted) or
when the learner attaches it (`companion roadmap attach`). Notes and logged time follow.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from companion.content.item_identity import (
    Fingerprint,
    fingerprints,
    match,
    renamed_sections,
    same_section,
    score,
)
from companion.content.loader import Library
from companion.content.progress import STARTED
from companion.content.roadmap import Item, Roadmap
from companion.services.progress_combine import combine_lost
from companion.services.roadmap_versions import behind_roadmaps
from companion.store import Store
from companion.text import normalise

GONE = "-gone"  # the id suffix of progress whose item is no longer in its roadmap


@dataclass(frozen=True)
class ProgressSync:
    """What re-reading the roadmaps did to the learner's progress."""

    relinked: list[tuple[str, str]]
    """(old id, new id) of progress that followed its edited item."""
    orphaned: list[str]
    """Ids of progress kept with no item in any roadmap (their roadmap removed, or unplaced)."""
    unplaced: list[str]
    """One line per started or finished item this sync could not place."""
    behind: list[str]
    """One line per roadmap whose file here is older than another machine's: its progress
    follows this file's items, and its notes stay where the newer file has them."""
    moved: list[str] = field(default_factory=list)
    """One line per started or finished item whose progress went to an item in another
    section (near-identical text, nothing alike left in its own): said by name, as it may
    be wrong, and `roadmap attach` moves it."""


def item_fingerprint(roadmap: Roadmap, item_id: str) -> dict:
    """The fingerprint to store with progress set on an item now."""
    return fingerprints(roadmap, only=item_id)[item_id].to_dict()


def record_state(store: Store, roadmap: Roadmap, item: Item, state: str, now: datetime) -> None:
    """Set an item's state with what identifies it after the file is edited."""
    store.set_item_state(
        roadmap.id,
        item.id,
        state,
        now,
        item.text,
        roadmap.phase_of(item).title,
        item_fingerprint(roadmap, item.id),
    )


def track_item(library: Library, store: Store, item_id: str | None, now: datetime) -> None:
    """Keep an item's identity with the store when the learner gives it a note or time, so
    those follow it through edits as a state does (nothing for an item no roadmap has)."""
    found = library.find_item(item_id) if item_id else None
    if found is not None and not store.tracks(found[1].id):
        record_state(store, found[0], found[1], "todo", now)


def _kept(record: dict, prints: dict[str, Fingerprint]) -> Fingerprint:
    stored = record.get("fingerprint")
    if isinstance(stored, dict) and stored.get("text") is not None:
        return Fingerprint.from_dict(stored)
    if record["item_id"] in prints:  # progress from before fingerprints: its id, this once
        return prints[record["item_id"]]
    return Fingerprint(normalise(record.get("text", "")), phase=normalise(record.get("phase", "")))


SETTLED = "progress_settled"
"""Per roadmap, the stamp of the file and progress of the last sync that changed nothing: a
sync of the same again is skipped (each `roadmap set` matched the progress kept aside
against every item again, two thirds of its time on a large roadmap)."""


def _inputs_stamp(prints: dict[str, Fingerprint], mine: dict[str, dict]) -> str:
    """What a sync of one roadmap reads: its items' fingerprints, and each piece of its
    progress by id and the fingerprint it keeps (not its state)."""
    items = sorted((item_id, repr(print_)) for item_id, print_ in prints.items())
    progress = sorted((item_id, repr(r.get("fingerprint"))) for item_id, r in mine.items())
    return hashlib.sha1(repr((items, progress)).encode("utf-8", "surrogatepass")).hexdigest()


def _gone_id(item_id: str, taken: set[str]) -> str:
    base = item_id if item_id.endswith(GONE) else item_id + GONE
    candidate, count = base, 1
    while candidate in taken:
        count += 1
        candidate = f"{base}-{count}"
    return candidate


def _merged_aside(key: str, taken: set[str], roadmap_of: dict[str, str], roadmap: str) -> str:
    """A new id for progress about to be merged into another item's (its id may be another's
    now)."""
    aside = _gone_id(key + "~merged", taken)
    taken.add(aside)
    roadmap_of[aside] = roadmap
    return aside


def _twin(kept: Fingerprint, taken: dict[str, Fingerprint]) -> str | None:
    """The item, already holding progress, that `kept` is surely also of: the same links, or
    the same text in the same phase (an item ticked on an old version of the file on one
    machine and on the new one on another), or the heading item a contents entry named. None
    when there is no such item."""
    best, best_score = None, -1.0
    for item_id, fingerprint in taken.items():
        linked = bool(kept.urls) and set(kept.urls) == set(fingerprint.urls)
        same = linked or (
            kept.text == fingerprint.text and kept.phase == fingerprint.phase and not kept.urls
        )
        # a contents entry (no link) of a heading of links read as one item: the file named
        # it twice, as ML-YouTube-Courses did each course, and once now
        once = kept.text == fingerprint.text == fingerprint.phase and not kept.urls
        once = once and bool(kept.twins) and fingerprint.twins == 0
        # (its links its own: even named as its neighbour was, "YouTube video lecture, part
        # 3" after "YouTube video lecture", it is the item of those links)
        found = score(kept, fingerprint, sole_links=linked) if same else (0.0 if once else None)
        if found is not None and found > best_score:
            best, best_score = item_id, found
    return best


def _set_states(store: Store, states: list[tuple[Roadmap, str, str]]) -> None:
    """The states of merged and split items, where their progress does not hold them yet."""
    held = store.item_states()
    now = datetime.fromtimestamp(store.clock(), UTC)  # the app's clock, as the learner's ticks
    for roadmap, item_id, state in states:
        item = roadmap.find_item(item_id)
        if item is not None and held.get(item_id) != state:
            record_state(store, roadmap, item, state, now)


def sync_progress(library: Library, store: Store) -> ProgressSync:
    """Move progress to the items it belongs to; keep and report what has no item."""
    behind = behind_roadmaps(library, store)
    records = store.progress_records()
    ids_in_use = {record["item_id"] for record in records}
    moves: list[tuple[str, str, str, str, dict]] = []
    relinked: list[tuple[str, str]] = []
    unplaced: list[str] = []
    moved: list[str] = []
    merges: list[tuple[str, str]] = []
    states: list[tuple[Roadmap, str, str]] = []  # (roadmap, item id, state) set after both
    roadmap_of: dict[str, str] = {}  # each moved row's roadmap
    settled = store.remembered(SETTLED) or {}
    now_settled = {rid: stamp for rid, stamp in settled.items() if isinstance(stamp, str)}
    for roadmap in library.roadmaps:
        mine = {r["item_id"]: r for r in records if r.get("roadmap_id") == roadmap.id}
        if not mine:
            continue
        prints = fingerprints(roadmap)
        ids_in_use |= set(prints)
        roadmap_of.update(dict.fromkeys(mine, roadmap.id))
        stamp = _inputs_stamp(prints, mine)
        if settled.get(roadmap.id) == stamp:
            continue  # the same file and progress as a sync that changed nothing
        before = (len(moves), len(merges), len(unplaced), len(moved))
        kept = {item_id: _kept(record, prints) for item_id, record in mine.items()}
        placed, lost = match(kept, prints)
        renamed = renamed_sections(kept, prints)  # not a move: the heading has a new name
        for old_id, new_id in placed.items():
            new_print = prints[new_id].to_dict()
            if old_id != new_id or mine[old_id].get("fingerprint") != new_print:
                item = roadmap.find_item(new_id)
                assert item is not None
                moves.append((old_id, new_id, item.text, roadmap.phase_of(item).title, new_print))
            if old_id != new_id:
                relinked.append((old_id, new_id))
            record = mine[old_id]
            here = same_section(kept[old_id], prints[new_id], renamed)
            if not here and record.get("state") in STARTED:
                item = roadmap.find_item(new_id)
                assert item is not None
                moved.append(
                    f"'{record.get('text') or old_id}' ({record['state']}) moved from "
                    f"'{record.get('phase', '')}' to '{roadmap.phase_of(item).title}' in "
                    f"'{roadmap.title}' (companion roadmap attach {new_id} ITEM moves it)"
                )
        # (progress already kept aside was said so when it happened)
        fresh = [key for key in lost if not (key.endswith(GONE) and key not in prints)]
        aside_id = partial(
            _merged_aside, taken=ids_in_use, roadmap_of=roadmap_of, roadmap=roadmap.id
        )

        joined = combine_lost(roadmap, mine, kept, prints, placed, fresh, aside_id)
        moves += joined.moves
        merges += joined.merges
        relinked += [(m[0], m[1]) for m in joined.moves if m[1] in prints]
        states += [(roadmap, item_id, state) for item_id, state in joined.states]
        moved += joined.said
        for old_id in fresh:
            if old_id in joined.handled:
                continue
            record = mine[old_id]
            twin = _twin(kept[old_id], {placed[o]: prints[placed[o]] for o in placed})
            if twin is not None:  # set on two versions of the file (two machines): one item
                aside = aside_id(old_id)
                moves.append((old_id, aside, record.get("text", ""), record.get("phase", ""),
                              kept[old_id].to_dict()))  # fmt: skip
                merges.append((aside, twin))
                continue
            gone = _gone_id(old_id, ids_in_use)
            ids_in_use.add(gone)
            moves.append(
                (old_id, gone, record.get("text", ""), record.get("phase", ""),
                 kept[old_id].to_dict())
            )  # fmt: skip
            if record.get("state") in STARTED:
                unplaced.append(
                    f"'{record.get('text') or old_id}' ({record['state']}) is no longer in "
                    f"'{roadmap.title}': its progress is kept as {gone} "
                    "(companion roadmap attach puts it back)"
                )
        if (len(moves), len(merges), len(unplaced), len(moved)) == before:
            now_settled[roadmap.id] = stamp
        else:
            now_settled.pop(roadmap.id, None)
    if not store.read_only and now_settled != settled:
        store.remember(SETTLED, now_settled)
    # notes and marks are files every machine shares: the machine whose file is newest places
    # them; one behind, or catching up with them, moves its progress only
    rows_only = set(behind) | {r.id for r in library.roadmaps if store.rows_behind(r.id)}
    with_files = [m for m in moves if roadmap_of[m[0]] not in rows_only]
    if with_files:
        store.move_progress(with_files)
    if len(with_files) < len(moves):
        store.move_progress([m for m in moves if roadmap_of[m[0]] in rows_only], files=False)
    for old_id, new_id in merges:
        store.merge_progress(old_id, new_id, files=roadmap_of[old_id] not in rows_only)
    _set_states(store, states)
    for roadmap_id in rows_only:
        store.mark_rows_behind(roadmap_id, roadmap_id in behind)
    known = {item.id for roadmap in library.roadmaps for item in roadmap.items}
    orphaned = [r["item_id"] for r in store.progress_records() if r["item_id"] not in known]
    return ProgressSync(relinked, orphaned, unplaced, list(behind.values()), moved)


class AttachError(Exception):
    """Progress could not be attached; the message is one line."""


def unplaced_progress(library: Library, store: Store) -> list[dict]:
    """Progress kept with no item in any roadmap, oldest first."""
    known = {item.id for roadmap in library.roadmaps for item in roadmap.items}
    records = [r for r in store.progress_records() if r["item_id"] not in known]
    return sorted(records, key=lambda r: r.get("updated", ""))


def attach(library: Library, store: Store, kept_id: str, target: str) -> tuple[dict, str]:
    """Put kept progress (its state, note and time) on an item, named by id or by a piece of
    its text found in one item only; returns the record and the item's text."""
    record = next((r for r in unplaced_progress(library, store) if r["item_id"] == kept_id), None)
    if record is None:  # or an item's, to move (one an update moved to another section)
        record = next(
            (r for r in store.progress_records()
             if r["item_id"] == kept_id and r.get("state") in STARTED),
            None,
        )  # fmt: skip
    if record is None:
        raise AttachError(f"no kept progress '{kept_id}' (see 'companion roadmap attach')")
    found = library.find_item(target)
    if found is None:
        wanted = normalise(target)
        matches = [
            (roadmap, item)
            for roadmap in library.roadmaps
            for item in roadmap.items
            if wanted and wanted in normalise(item.text)
        ]
        if len(matches) != 1:
            raise AttachError(
                f"'{target}' names {len(matches)} items; give an item id or more of its text"
            )
        found = matches[0]
    roadmap, item = found
    existing = next((r for r in store.progress_records() if r["item_id"] == item.id), None)
    if existing is not None and existing.get("state") != "todo":
        raise AttachError(
            f"'{item.text}' already has progress ({existing['state']}); set it to todo first"
        )
    if existing is not None:
        store.forget_item(item.id)
    print_ = item_fingerprint(roadmap, item.id)
    phase = roadmap.phase_of(item).title
    store.move_progress([(kept_id, item.id, item.text, phase, print_)])
    # and logged as the item's state, so the machines that sync have it on the item too
    now = datetime.fromtimestamp(store.clock(), UTC)
    store.set_item_state(roadmap.id, item.id, record["state"], now, item.text, phase, print_,
                         replaces=record.get("fingerprint"))  # fmt: skip
    return record, item.text
