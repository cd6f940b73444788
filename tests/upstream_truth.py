"""The ground truth of a roadmap update, as a reader would judge it from the two versions alone:
which item of the newer file each ticked item of the older one is. Independent of
content/item_identity.py (another, simpler set of rules) so that it can judge it: by section,
text and links (letter case, spacing and a trailing ellipsis aside; a renamed heading over the
same bullets is the same section), or a near-identical text in the same section with the same
numbers. Used by tests/services/test_upstream_replays.py and benchmarks/roadmap_history.py."""

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
    holding at least half of its item texts (a renamed heading over the same bullets)."""
    new_phases = {n[0] for n in new_keys}
    texts: dict[str, set] = {}
    for n in new_keys:
        texts.setdefault(n[0], set()).add(n[1])
    mapped = {}
    for phase in {o[0] for o in old_keys}:
        if phase in new_phases:
            mapped[phase] = phase
            continue
        own = {o[1] for o in old_keys if o[0] == phase}
        best = sorted(((len(own & t), p) for p, t in texts.items()), reverse=True)
        if best and 2 * best[0][0] >= len(own) and (len(best) == 1 or best[1][0] < best[0][0]):
            mapped[phase] = best[0][1]
    return mapped


def ratio(a, b):
    # autojunk off: past 200 characters it makes a one-letter edit a ratio of 0.75
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def corresponds(k, new_keys, old_keys, sections):
    phase, text, links = k
    phase = sections.get(phase, phase)

    def one(cands):
        return cands[0] if len(cands) == 1 else None

    def shared(n):
        return len(set(links) & set(n[2]))

    if found := one([n for n in new_keys if n[0] == phase and n[1] == text]):
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
    near = sorted(
        ((ratio(text, n[1]), n) for n in new_keys if n[0] == phase),  # fmt: skip
        reverse=True,
    )

    def digits(t):
        return re.findall(r"\d+", t)

    near = [(r, n) for r, n in near if digits(n[1]) == digits(text)]
    if near and near[0][0] >= 0.85 and (len(near) == 1 or near[1][0] < near[0][0]):
        return near[0][1]
    return None


@dataclass
class Verdict:
    """How the ticks fared in one update."""

    ticked: int = 0
    in_file: int = 0
    lost: list = field(default_factory=list)
    """(old key, new key) of each tick whose item is still in the file but not ticked."""
    misplaced: list = field(default_factory=list)
    """The keys of ticked items that no old tick corresponds to."""

    @property
    def kept(self) -> int:
        return self.in_file - len(self.lost)


def judge(old: Roadmap, new: Roadmap, ticked: list[str], states: dict[str, str]) -> Verdict:
    """The ticks of the items `ticked` (ids in `old`) against the states after the update."""
    old_keys = [key(old, item) for item in old.items]
    ticked_keys = [key(old, item) for item in old.items if item.id in set(ticked)]
    new_keys: dict[tuple, list] = {}
    for item in new.items:  # an item upstream wrote twice has one key for both copies
        new_keys.setdefault(key(new, item), []).append(item)
    sections = section_map(old_keys, list(new_keys))
    truth = [(k, corresponds(k, list(new_keys), old_keys, sections)) for k in ticked_keys]
    expected = Counter(v for _, v in truth if v)
    done = Counter(
        k for k, items in new_keys.items() for item in items if states.get(item.id) == "done"
    )
    verdict = Verdict(len(ticked_keys), sum(1 for _, v in truth if v))
    for k, v in truth:
        if v and done[v] < expected[v]:
            verdict.lost.append((k, v))
            expected[v] -= 1
    verdict.misplaced = [k for k in done if k not in expected]
    return verdict
