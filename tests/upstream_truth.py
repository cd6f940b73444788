"""The ground truth of a roadmap update, as a reader would judge it from the two versions alone:
which item of the newer file each ticked item of the older one is. Independent of
content/item_identity.py (another, simpler set of rules) so that it can judge it: by section,
text and links (letter case, spacing and a trailing ellipsis aside; a renamed heading over the
same bullets is the same section), by links that one item of each file has, or by a
near-identical text in the same section with the same numbers. An item that several old
items are (upstream merged them) should be done when all of them were ticked, and begun
("doing") when some were. Used by
tests/services/test_upstream_replays.py and benchmarks/roadmap_history.py."""

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from companion.content.roadmap import Roadmap
from companion.text import normalise

_TRAILING = re.compile(r"[\s.:…]+$")  # "Clustering ..." and "Clustering" are one bullet


def key(roadmap, item):
    """(section, text, links); section and text without letter case, spacing and a trailing
    ellipsis or colon, as a reader tells items apart."""
    return (
        normalise(roadmap.phase_of(item).title),
        _TRAILING.sub("", normalise(item.text)),
        tuple(resource.url for resource in item.resources),
    )


def section_map(old_keys, new_keys):
    """Each old section's title -> the new one's: the same title, else the one new section
    holding at least half of its items, each found by its text or one of its links (a
    renamed heading over the same bullets)."""
    new_phases = {n[0] for n in new_keys}
    found: dict[str, set] = {}
    for n in new_keys:
        found.setdefault(n[0], set()).update({n[1], *n[2]})
    mapped = {}
    for phase in {o[0] for o in old_keys}:
        if phase in new_phases:
            mapped[phase] = phase
            continue
        own = [o for o in old_keys if o[0] == phase]
        best = sorted(
            ((sum(1 for o in own if {o[1], *o[2]} & there), p) for p, there in found.items()),
            reverse=True,
        )
        if best and 2 * best[0][0] >= len(own) and (len(best) == 1 or best[1][0] < best[0][0]):
            mapped[phase] = best[0][1]
    return mapped


def ratio(a, b):
    # autojunk off: past 200 characters it makes a one-letter edit a ratio of 0.75
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def neighbours(roadmap: Roadmap) -> dict[tuple, tuple[str, str]]:
    """Each item's key -> the texts of the items before and after it in its section."""
    found = {}
    for phase in roadmap.phases:
        texts = ["", *(key(roadmap, item)[1] for item in phase.items), ""]
        for n, item in enumerate(phase.items, start=1):
            found[key(roadmap, item)] = (texts[n - 1], texts[n + 1])
    return found


def corresponds(k, new_keys, old_keys, sections, around=None):
    """The new key of the old key `k`, or None; `around`: (old neighbours, new neighbours)
    for a line re-worded in its place."""
    phase, text, links = k
    phase = sections.get(phase, phase)

    def one(cands):
        return cands[0] if len(cands) == 1 else None

    def shared(n):
        return len(set(links) & set(n[2]))

    if found := one([n for n in new_keys if n[0] == phase and n[1] == text]):
        return found
    # the same links, on one item of each file: the same resource, wherever it went
    unique = links and sum(1 for o in old_keys if set(o[2]) == set(links)) == 1
    if unique and (found := one([n for n in new_keys if set(n[2]) == set(links)])):
        return found
    linked = [n for n in new_keys if shared(n) and (n[0] == phase or n[1] == text)]
    most = max(map(shared, linked), default=0)
    linked = [n for n in linked if shared(n) == most]
    if found := one(linked):
        return found
    if len(linked) > 1:  # the same links shared: the likest text, if one is
        ratios = sorted(((ratio(text, n[1]), n) for n in linked), reverse=True)
        if ratios[0][0] > ratios[1][0]:
            return ratios[0][1]
    if Counter(o[1] for o in old_keys)[text] == 1 and (
        found := one([n for n in new_keys if n[1] == text])
    ):
        return found
    if around is not None and (place := around[0].get(k)) and any(place):
        # re-worded in its place: the same items before and after it, a like text, and no
        # link replaced by another ("AutoGGUF" and its notebook -> "AutoQuant" and another)
        here = [n for n in new_keys if n[0] == phase and around[1].get(n) == place]
        found = one(here)
        relinked = found is not None and links and found[2] and not shared(found)
        if found and ratio(text, found[1]) >= 0.6 and not relinked:
            return found
    near = sorted(
        ((ratio(text, n[1]), n) for n in new_keys if n[0] == phase),  # fmt: skip
        reverse=True,
    )

    def digits(t):
        return re.findall(r"\d+", t)

    near = [(r, n) for r, n in near if digits(n[1]) == digits(text)]
    if near and near[0][0] >= 0.85 and (len(near) == 1 or near[1][0] < near[0][0]):
        return near[0][1]
    # the same name but for an alternative's or a textbook's link after it, or a footnote mark
    # ("Learn Prolog Now!" -> "Learn Prolog Now! (alt)*", OSSU 08456ba)
    if found := one([n for n in new_keys if n[0] == phase and core(n[1]) == core(text)]):
        return found
    # a part of a course now taught whole ("Programming Languages, Part A" -> "Programming
    # Languages", a name the older file did not have)
    old_texts = {o[1] for o in old_keys}
    return one([n for n in new_keys if n[0] == phase and n[1] not in old_texts and part(text, n)])


_ASIDES = re.compile(r"\s*\((?:alt|alternative|textbook|lectures)\b[^)]*\)|\*")


def core(text):
    """A course's name without the links given beside it ("(alt)", "(lectures)") or marks."""
    return _ASIDES.sub("", text).strip()


def split_into(k, new_keys, old_keys, sections):
    """The items of the newer file the old item `k` was split into, if two or more: in its
    section, each holding only links of `k` and links no other old item had."""
    phase = sections.get(k[0], k[0])
    if len(k[2]) < 2 or any(n[0] == phase and n[1] == k[1] for n in new_keys):
        return []  # (one of its name goes on: its links went to items under it)
    others = {url for o in old_keys if o != k for url in o[2]}
    found = [
        n for n in new_keys
        if n[0] == phase and n[2] and set(n[2]) <= set(k[2]) and not set(n[2]) & others
    ]  # fmt: skip
    return found if len(found) >= 2 else []


def part(text, new_key):
    """Whether an item named `text` is a part of the item `new_key`: its name and more after
    a comma, a colon or a dash (not a bracket: "(textbook)" is the same course)."""
    rest = text[len(new_key[1]) :]
    return (
        text.startswith(new_key[1])
        and (rest[:1] in (",", ":") or rest[:3] in (" - ", " – "))
        and len(rest) > 2
    )


@dataclass
class Verdict:
    """How the ticks fared in one update."""

    ticked: int = 0
    in_file: int = 0
    lost: list = field(default_factory=list)
    """(old key, new key) of each tick whose item is still in the file but not ticked."""
    misplaced: list = field(default_factory=list)
    """The keys of ticked items that no old tick corresponds to."""
    aside: list = field(default_factory=list)
    """(roadmap, item id) of the ticks with no item in the newer file: kept aside, they may
    come back with their item in a later version."""

    @property
    def kept(self) -> int:
        return self.in_file - len(self.lost)


def judge(
    old: Roadmap,
    new: Roadmap,
    ticked: list[str],
    states: dict[str, str],
    aside: list[tuple[Roadmap, str]] = (),  # type: ignore[assignment]
) -> Verdict:
    """The ticks of the items `ticked` (ids in `old`) against the states after the update;
    `aside`: ticks kept aside by earlier updates, which may come back to their item now."""
    old_keys = [key(old, item) for item in old.items]
    chosen = set(ticked)
    ticked_keys = [(key(old, item), item.id) for item in old.items if item.id in chosen]
    new_keys: dict[tuple, list] = {}
    for item in new.items:  # an item upstream wrote twice has one key for both copies
        new_keys.setdefault(key(new, item), []).append(item)
    sections = section_map(old_keys, list(new_keys))
    around = (neighbours(old), neighbours(new))
    truth_of = {k: corresponds(k, list(new_keys), old_keys, sections, around) for k in old_keys}
    for k, new in truth_of.items():  # a bullet folded into an item that goes on is not it
        if new and k[1] != new[1] and not part(k[1], new) and ratio(k[1], new[1]) < 0.8:
            goes_on = any(
                other != k and truth_of[other] == new and ratio(other[1], new[1]) >= 0.8
                for other in old_keys
            )
            if goes_on:  # "Handy reference" under "Head First Design Patterns"
                truth_of[k] = None
    truth = [(k, truth_of[k], i) for k, i in ticked_keys]
    # a bullet of several links whose links are now each on items of their own, that hold no
    # other link, is those items ("Hamming Code:" over its two videos, its box gone): each
    # should be done
    split = {k: found for k, _, _ in truth if (found := split_into(k, list(new_keys), old_keys,
                                                                   sections))}  # fmt: skip
    expected = Counter(v for k, v, _ in truth if v and k not in split)
    expected.update(n for k in split for n in split[k])
    done = Counter(
        k for k, items in new_keys.items() for item in items if states.get(item.id) == "done"
    )

    # an item several old items are now (merged): done when every part was ticked, begun
    # ("doing") when some were; either way each part's tick is kept on it
    # The parts: the old items of its text, holding one of its links or named as its parts
    # (a near-alike deleted, "Big Omega" beside "Big O", is no part of it); one of its name
    # or its links is the item itself, however often the file listed it (a contents entry,
    # one lecture listed twice under two names).
    def part_key(k):
        new = truth_of[k]
        if new and (k[1] == new[1] or (k[2] and set(k[2]) == set(new[2]))):
            return new, ()
        if new and (set(k[2]) & set(new[2]) or part(k[1], new)):
            return new, k[2] or k[1]
        return None

    parts = Counter(found[0] for found in {part_key(k) for k in old_keys} if found)
    chosen_parts = {part_key(k) for k, _ in ticked_keys if k not in split}
    ticked_parts = Counter(found[0] for found in chosen_parts if found)
    merged: dict[tuple, str] = {}  # the merged items: the state each should have
    for v in expected:
        if parts[v] > 1 and len(new_keys[v]) == 1:
            merged[v] = "done" if ticked_parts[v] == parts[v] else "doing"
            expected[v] = int(ticked_parts[v] == parts[v])
    # how many ticks of each other item are not on it; more ticks than copies of it (an item
    # the file listed twice, once now) are all kept on its one copy done
    short = Counter()
    for v, ticks in expected.items():
        if v not in merged:
            copies = min(ticks, len(new_keys[v]))
            short[v] = ticks - (ticks * min(done[v], copies)) // copies
            expected[v] = copies
    verdict = Verdict(len(ticked_keys), sum(1 for k, v, _ in truth if v or k in split))
    for k, v, item_id in truth:
        if k in split:
            if not all(done[n] for n in split[k]):
                verdict.lost.append((k, split[k][0]))
                verdict.aside.append((old, item_id))
        elif v is None:
            verdict.aside.append((old, item_id))
        elif v in merged:
            if states.get(new_keys[v][0].id) != merged[v]:
                verdict.lost.append((k, v))
                verdict.aside.append((old, item_id))
        elif short[v]:
            verdict.lost.append((k, v))
            verdict.aside.append((old, item_id))
            short[v] -= 1
    for roadmap, item_id in aside:  # back with its item: where it belongs, not misplaced
        earlier = roadmap.find_item(item_id)
        keys = [key(roadmap, item) for item in roadmap.items]
        back = corresponds(key(roadmap, earlier), list(new_keys), keys, section_map(
            keys, list(new_keys)))  # fmt: skip
        if back is not None and done[back] > expected[back]:
            expected[back] += 1
        else:
            verdict.aside.append((roadmap, item_id))
    verdict.misplaced = [k for k in done if k not in expected or done[k] > expected[k]]
    return verdict
