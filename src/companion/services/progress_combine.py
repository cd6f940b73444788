"""Progress on items upstream merged into one or split into several (found by their links in
content/item_identity.py's `combined`): it goes with them instead of aside, and is said.

A merged item is done only when all its parts were done and they are surely all of it: two
or more that held every link it has but one (its own new link), or one that held more than
half of its links or stood in its place. One part done of a course now made of two, or of a
list of nine resources, is the course begun ("doing"). A split item's state goes to each of
its parts, its note and logged time to the first.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from companion.content.item_identity import Fingerprint, combined
from companion.content.progress import STARTED
from companion.content.roadmap import Roadmap


@dataclass
class Combined:
    """What a sync does with the progress of merged and split items."""

    moves: list[tuple[str, str, str, str, dict]] = field(default_factory=list)
    merges: list[tuple[str, str]] = field(default_factory=list)
    """(kept aside id, item id): progress merged into the item's (store.merge_progress)."""
    states: list[tuple[str, str]] = field(default_factory=list)
    """(item id, state) to set once the moves and merges are made."""
    said: list[str] = field(default_factory=list)
    handled: set[str] = field(default_factory=set)
    """The keys of the progress placed so."""


def _merged_state(states: list[str], held: int, links: int, in_place: bool) -> str | None:
    """`held`: how many of the merged item's `links` the parts held. The others are a part
    not tracked, or the merged item's own new link (one is allowed). One part that held more
    than half of them is that item renamed, a link added ("GPTQ and EXL2" -> "GPTQ & AWQ",
    llm-course 1dfcf2e); one `in_place` is the course that replaced it (OSSU 83d8db6:
    "ops-class.org - Hack the Kernel" -> "Operating Systems: Three Easy Pieces", its book)."""
    one = len(states) == 1 and (2 * held > links or in_place)
    whole = len(states) >= 2 and links - held <= 1 or one
    if whole and all(state == "done" for state in states):
        return "done"
    if any(state in STARTED for state in states):
        return "doing"
    return None


def _in_place(old: Fingerprint, prints: dict[str, Fingerprint], item_id: str) -> bool:
    """Whether the item stands where `old` stood, between the same neighbours, and neither
    neighbour of `old` went with it (then they may be parts of it too: "How to Code - Simple
    Data" and "- Complex Data" became one course in the place of both)."""
    new = prints[item_id]
    beside = (old.before and old.before == new.before) or (old.after and old.after == new.after)
    names = {fingerprint.text for fingerprint in prints.values()}
    return bool(beside) and all(not near or near in names for near in (old.before, old.after))


def combine_lost(
    roadmap: Roadmap,
    mine: dict[str, dict],
    kept: dict[str, Fingerprint],
    prints: dict[str, Fingerprint],
    placed: dict[str, str],
    lost: list[str],
    aside_id: Callable[[str], str],
) -> Combined:
    """Place the progress `match` left (`lost`, none of it kept aside before) on the items
    upstream merged it into or split it into; `aside_id` names a row merged into another."""
    found = Combined()
    merged, split = combined(kept, prints, placed, lost)
    held_by = {new_id: old_id for old_id, new_id in placed.items()}

    def text_of(item_id: str) -> tuple[str, str]:
        item = roadmap.find_item(item_id)
        assert item is not None
        return item.text, roadmap.phase_of(item).title

    def move(old_id: str, new_id: str) -> None:
        found.moves.append((old_id, new_id, *text_of(new_id), prints[new_id].to_dict()))

    for item_id, keys in merged.items():
        parts = [held_by[item_id], *keys] if item_id in held_by else keys
        links = set(prints[item_id].urls)
        held = len(links & {url for key in parts for url in kept[key].urls})
        states = [mine[key].get("state", "todo") for key in parts]
        state = _merged_state(states, held, len(links), _in_place(kept[parts[0]], prints, item_id))
        for key in keys:
            if key == parts[0]:
                move(key, item_id)
            else:
                aside = aside_id(key)
                record = mine[key]
                found.moves.append((key, aside, record.get("text", ""),
                                    record.get("phase", ""), kept[key].to_dict()))  # fmt: skip
                found.merges.append((aside, item_id))
            if mine[key].get("state") in STARTED:
                found.said.append(
                    f"'{mine[key].get('text') or key}' ({mine[key]['state']}) is now part of "
                    f"'{text_of(item_id)[0]}' in '{roadmap.title}', {state} (companion "
                    f"roadmap attach {item_id} ITEM moves that item's progress)"
                )
        if state is not None:
            found.states.append((item_id, state))
        found.handled.update(keys)
    for key, parts in split.items():
        move(key, parts[0])
        state = mine[key].get("state", "todo")
        if state in STARTED:
            found.states += [(part, state) for part in parts[1:]]
            names = ", ".join(f"'{text_of(part)[0]}'" for part in parts)
            now = f"{len(parts)} items, each {state}: {names}" if parts[1:] else names
            found.said.append(
                f"'{mine[key].get('text') or key}' ({state}) is now {now} in '{roadmap.title}'"
                f" (companion roadmap attach {parts[0]} ITEM moves it)"
            )
        found.handled.add(key)
    return found
