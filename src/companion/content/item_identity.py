"""Which item of an edited roadmap the learner's progress on an item belongs to.

An item's id hashes its phase path, parent and text: it survives reordering and whitespace,
but a renamed heading, a move to another section or a re-worded title changes it, and deleting
an earlier item of the same text hands its id to the next one. So each piece of progress keeps
a fingerprint of its item (text, links, phase, parent, neighbours, rank among equal texts), and
after an edit it is matched on all of that over the whole roadmap: never on position alone.
"""

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from urllib.parse import urlsplit

from companion.content.roadmap import Roadmap
from companion.text import normalise

SAME_TEXT = 0.8  # as for cards: this alike with no other evidence is the same item
NEAR_TEXT = 0.6  # this alike in the same place (phase and a neighbour) is the same item
LINKED_TEXT = 0.35  # this alike with the same link is the same item
NEAR_IDENTICAL = 0.95  # a tick moves to another section only for a text this alike
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Fingerprint:
    """What identifies an item beyond its id; stored with the learner's progress."""

    text: str
    urls: tuple[str, ...] = ()
    phase: str = ""
    parent: str = ""
    before: str = ""
    after: str = ""
    rank: int = 0
    twins: int | None = None
    """How many other items of the roadmap have the same text (None: stored before it was)."""

    def to_dict(self) -> dict:
        """JSON-ready."""
        return {**asdict(self), "urls": list(self.urls)}

    @classmethod
    def from_dict(cls, data: dict) -> "Fingerprint":
        """Rebuild a stored fingerprint (missing fields take their defaults)."""
        known = {key: data[key] for key in cls.__dataclass_fields__ if key in data}
        known["urls"] = tuple(str(url) for url in known.get("urls", ()))
        return cls(**known)


def fingerprints(roadmap: Roadmap, only: str | None = None) -> dict[str, Fingerprint]:
    """Every item's fingerprint by item id; or with `only`, that item's alone (cheaper)."""
    items = roadmap.items
    texts = {item.id: normalise(item.text) for item in items}
    phases = {phase.id: normalise(phase.title) for phase in roadmap.phases}
    seen: dict[str, int] = defaultdict(int)
    total = Counter(texts.values())
    result = {}
    for index, item in enumerate(items):
        text = texts[item.id]
        if only is None or item.id == only:
            result[item.id] = Fingerprint(
                text,
                tuple(sorted({same_link(resource.url) for resource in item.resources})),
                phases.get(item.phase_id, ""),
                texts.get(item.parent_id or "", ""),
                texts[items[index - 1].id] if index > 0 else "",
                texts[items[index + 1].id] if index + 1 < len(items) else "",
                seen[text],
                total[text] - 1,
            )
        seen[text] += 1
    return result


_ARCHIVED = re.compile(r"^(?:https?://)?web\.archive\.org/web/[0-9a-z_*]+/", re.I)


def same_link(url: str) -> str:
    """A link as compared: scheme, "www.", letter case of the host and a final slash aside,
    and a Wayback Machine copy taken for the page it copies (a dead link replaced by its
    archive is the same resource)."""
    url = url.strip()
    archived = _ARCHIVED.sub("", url)
    if archived != url:
        url = archived if "://" in archived else f"http://{archived}"
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return (
        f"{host}{path}"
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


_SLUG = re.compile(r"[A-Za-z0-9]{5,}")


def _slugs(link: str) -> set[str]:
    """The words of a link past its host and first path segment ("2OpTs", "introduction")."""
    host, _, rest = link.partition("/")
    rest = rest.partition("/")[2] if "/" in rest else rest.partition("?")[2]
    return {word.lower() for word in _SLUG.findall(rest) if not word.isdigit()}


def _related(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """Whether a link of each is the same page moved within its site: the same host, and a
    word of its address in common (coursera.org/learn/data-structures/lecture/2OpTs/introduction
    and coursera.org/lecture/data-structures/introduction-2OpTs)."""
    return any(
        a.split("/")[0] == b.split("/")[0] and _slugs(a) & _slugs(b) for a in old for b in new
    )


def _at_most(a: str, b: str, bound: float) -> bool:
    """Whether the texts' ratio is surely below `bound`: difflib's upper bounds on it
    (lengths, then letters in common), cheapest first and without making a SequenceMatcher
    (an update compares thousands of pairs)."""
    total = len(a) + len(b)
    if not total or 2 * min(len(a), len(b)) < bound * total:
        return bool(total)
    common = sum((_letters(a) & _letters(b)).values())
    return 2 * common < bound * total


def _unlike(a: str, b: str) -> bool:
    """Too unlike to be one item without a shared link."""
    return _at_most(a, b, NEAR_TEXT)


@lru_cache(maxsize=1 << 14)
def _letters(text: str) -> Counter:
    return Counter(text)


@lru_cache(maxsize=1 << 16)  # phases and texts are compared pair by pair, over and over
def _ratio(a: str, b: str) -> float:
    return 1.0 if a == b else SequenceMatcher(None, a, b, autojunk=False).ratio()


_ADDRESS = re.compile(r"\(?https?://\S+")


_ASIDES = re.compile(r"\s*\((?:alt|alternative|textbook|lectures)\b[^)]*\)|\*")


@lru_cache(maxsize=1 << 14)
def _bare(text: str) -> str:
    """The text without web addresses written out in it (a broken link's "([alt]](https://
    ...))" is the same name as the mended "(alt)"), nor the links given beside a course's name
    or a footnote's mark ("Systematic Program Design (textbook) (alternative: part 1, part
    2)" is "Systematic Program Design", "Learn Prolog Now! (alt)*" is "Learn Prolog Now!")."""
    if "://" in text:
        text = _ADDRESS.sub("", text)
    if "(" in text or "*" in text:
        text = _ASIDES.sub("", text)
    return " ".join(text.split())


PARAGRAPH = 100  # as content/roadmap_parser.py's LONG_TITLE: a bullet this long is a paragraph


def _titled_from(old: str, new: str) -> bool:
    """Whether `new` is the title a paragraph bullet `old` is given now (its bold label or
    first sentence), so progress set before the titles were cut follows it."""
    return len(old) > PARAGRAPH and len(new) >= 4 and old.startswith(new)


def _names_its_section(item: Fingerprint) -> bool:
    """An item named as its heading: a heading of links and no bullets, read as one item."""
    return item.text == item.phase


def same_section(old: Fingerprint, new: Fingerprint, renamed: dict[str, str] | None = None) -> bool:
    """Whether the two are in the same section: its heading the same, or re-worded a little,
    or renamed over the same bullets (`renamed`, from `renamed_sections`)."""
    return _ratio(old.phase, new.phase) >= SAME_TEXT or (
        renamed is not None and renamed.get(old.phase) == new.phase
    )


def renamed_sections(kept: dict[str, Fingerprint], items: dict[str, Fingerprint]) -> dict:
    """Old heading -> new heading, for a heading that is gone from the file while half the
    progress under it or more, two pieces at least, is on items found, by their text or a
    link, under one heading ("Trees - Notes & Background" -> "Trees - Intro", and back; or
    merged into another). One piece alone may have moved."""
    headings = {fingerprint.phase for fingerprint in items.values()}
    found: dict[object, set[str]] = defaultdict(set)
    for fingerprint in items.values():
        found[fingerprint.text].add(fingerprint.phase)
        for url in fingerprint.urls:
            found[url].add(fingerprint.phase)
    held = Counter(k for f in kept.values() for k in {f.text, *f.urls})
    votes: dict[str, Counter] = defaultdict(Counter)
    for fingerprint in kept.values():
        if fingerprint.phase in headings:
            continue
        # where its text or one of its links is now, if in one section only: a text the
        # roadmap repeats ("Video lecture"), or other progress holds too, tells nothing
        named = (fingerprint.text,) if fingerprint.twins == 0 else ()
        keys = [k for k in (*named, *fingerprint.urls) if held[k] == 1]
        landed = set().union(*(found.get(k, set()) for k in keys))
        votes[fingerprint.phase][landed.pop() if len(landed) == 1 else None] += 1
    renamed = {}
    for heading, counted in votes.items():
        (new, count), total = counted.most_common(1)[0], sum(counted.values())
        if new is not None and count >= 2 and 2 * count >= total:  # one could have moved
            renamed[heading] = new
    return renamed


def score(
    old: Fingerprint,
    new: Fingerprint,
    alone: bool = False,
    renamed: dict | None = None,
    sole_links: bool = False,
) -> float | None:
    """How surely `new` is the item `old` was taken from (higher is surer), or None if not.
    `alone`: no other item has the text of either in its section (of the kept ones and of
    the file's); `renamed`: headings renamed over the same bullets; `sole_links`: both have
    the same links, which no other kept piece of progress and no other item has (the same
    resource, wherever it went)."""
    if new.text != old.text and new.text in (old.before, old.after) and not sole_links:
        return None  # its neighbour then, another item ("Topic one" beside a deleted "Two")
    here = same_section(old, new, renamed)
    a, b = _bare(old.text), _bare(new.text)
    if not here and not sole_links and _at_most(a, b, NEAR_IDENTICAL):
        return None  # another section, and surely not near-identical: no ratio worked out
    text = _ratio(a, b)
    # (but a contents entry names the one section of its name, now its item: ML-YouTube-
    # Courses listed each course in a contents list and as a heading of links)
    repeated = bool(old.twins or new.twins) and not set(old.urls) & set(new.urls)
    repeated = repeated and not (_names_its_section(new) and not old.urls and new.twins == 0)
    if not here and (text < NEAR_IDENTICAL or repeated) and not sole_links:
        # "MIT (video)" under Binary search trees is not "MIT(videos):" under Graphs, and a
        # text the roadmap repeats ("...") names nothing outside its section without its link
        return None
    links = (
        len(set(old.urls) & set(new.urls)) / len(set(old.urls) | set(new.urls))
        if (old.urls or new.urls)
        else None
    )
    place = (
        _ratio(old.phase, new.phase)
        + (old.parent == new.parent)
        + (old.before == new.before)
        + (old.after == new.after)
    ) / 4
    neighbour = old.before == new.before or old.after == new.after
    if here and _titled_from(old.text, new.text):
        accepted = True  # a paragraph bullet now titled by its label or first sentence
    elif links == 1.0 and (here or sole_links):
        accepted = True  # the same links in the same section, re-named ("Description:" ->
        # "About Arrays:" in coding-interview-university)
    elif links is not None and links >= 0.5:
        # half the links shared: a link a boxless bullet hands to the box above it gives
        # "Handy reference: 101 Design Patterns" to "Book: Head First Design Patterns"
        accepted = text >= (LINKED_TEXT if links == 1.0 else NEAR_TEXT)
    elif _NUMBER.findall(a) != _NUMBER.findall(b):
        accepted = False  # "Lecture 1" and "Lecture 2", "CS224W" and "CS231N": other items
    elif links and here and text >= SAME_TEXT:
        # a link kept, another replaced, the name re-worded a little in its place: llm-course's
        # "Fine-tune Mistral-7b with DPO+TRL" (article and notebook) became "... with DPO"
        # (another article, the same notebook)
        accepted = True
    elif old.urls and new.urls:
        # Different links under a similar text: another item (eight "Video lecture" items).
        # But the same name, the only one of its kind in the roadmap, is the same item with
        # its link replaced (OSSU's "Update edx links"). Otherwise a
        # link truly replaced loses the tick to "kept", said and attachable, never misplaced.
        # A name the roadmap repeats ("Introduction (video)" in several sections) keeps its
        # tick when it is the only one in its section and its link moved within its site.
        # The same name, the only one of its kind in both versions, keeps its tick through a
        # move to another section too, beside an item it was beside (OSSU's "Calculus 1B:
        # Integration", relinked, from "Calculus" to "Core math" after "Calculus 1A"): said
        # by name as a move; or with one of its links ("Fine-tune Llama 2 in Google Colab"
        # and its notebook, from Notebooks to Fine-tuning in llm-course bf413b0). And a name
        # the only one of its kind re-worded a little in its place is its course replaced
        # ("Introduction to Logic" -> "Introduction to Formal Logic" in OSSU's Advanced math).
        sole_name = old.twins == 0 and new.twins == 0
        same_heading = old.phase == new.phase or (renamed or {}).get(old.phase) == new.phase
        related = alone and same_heading and _related(old.urls, new.urls)
        # (not a name cut to its start: "Programming Languages, Part A" is a part of
        # "Programming Languages", which `combined` tells)
        beside = (old.before and old.before == new.before) or (old.after and old.after == new.after)
        # with a neighbour or a link of its own: not a namesake elsewhere
        moved_with = same_heading or bool(beside) or bool(links)
        accepted = (a == b and ((sole_name and moved_with) or related)) or (
            sole_name and here and neighbour and text >= SAME_TEXT and not _part_of(old, new)
        )
    else:
        # a like text in its place, but not when every link went too: "Task-specific
        # benchmarks" and its links are not "Automated benchmarks" (llm-course 1dfcf2e)
        # And every link gone to other items, only a near-identical name is it: "Paxos
        # Consensus algorithm:" and its videos are not "Consensus Algorithms:" over Paxos's
        # and Raft's items (coding-interview-university, 2019 -> 2025)
        unlinked = bool(old.urls) and not new.urls
        in_place = neighbour and not unlinked
        accepted = text >= (NEAR_IDENTICAL if unlinked else SAME_TEXT) or (
            text >= NEAR_TEXT and in_place
        )
    if not accepted:
        return None
    return 0.5 * text + 0.3 * (links or 0.0) + 0.15 * place + 0.05 * (old.rank == new.rank)


def match(
    kept: dict[str, Fingerprint], items: dict[str, Fingerprint]
) -> tuple[dict[str, str], list[str]]:
    """Place each kept fingerprint (by key) on at most one item (by id), each item taken once.

    Exact fingerprints are placed first; then an item whose id, text and section are
    unchanged, whatever its links (its course link replaced, or its child's link gone to an
    item of its own); then the best-scored pairs, greedily. Returns the placements and the
    keys that could not be placed.
    """
    by_print: dict[Fingerprint, list[str]] = defaultdict(list)
    for item_id, fingerprint in items.items():
        by_print[fingerprint].append(item_id)
    placed: dict[str, str] = {}
    taken: set[str] = set()
    for key, fingerprint in kept.items():
        free = [item_id for item_id in by_print.get(fingerprint, []) if item_id not in taken]
        if free:
            chosen = key if key in free else free[0]
            placed[key] = chosen
            taken.add(chosen)
    for key, old in kept.items():
        new = items.get(key)
        if key in placed or new is None or key in taken or new.text != old.text:
            continue
        if old.phase == new.phase and old.twins == 0 and new.twins == 0:
            placed[key] = key
            taken.add(key)
    renamed = renamed_sections(kept, items)
    links_kept = Counter(print_.urls for print_ in kept.values())
    links_in_file = Counter(print_.urls for print_ in items.values())
    in_kept = Counter((print_.text, print_.phase) for print_ in kept.values())
    in_file = Counter((print_.text, print_.phase) for print_ in items.values())
    candidates = []
    for key, old in kept.items():
        if key in placed:
            continue
        found_here: list[tuple[float, str, str]] = []
        elsewhere: list[tuple[float, str, str]] = []
        for item_id, new in items.items():
            if item_id in taken:
                continue
            if (
                not (set(old.urls) & set(new.urls))
                and not _titled_from(old.text, new.text)
                and _unlike(_bare(old.text), _bare(new.text))
            ):
                continue
            alone = in_kept[old.text, old.phase] == 1 and in_file[new.text, new.phase] == 1
            sole = bool(old.urls) and old.urls == new.urls and links_kept[old.urls] == 1
            sole = sole and links_in_file[new.urls] == 1
            found = score(old, new, alone, renamed, sole)
            if found is not None:
                pair = (found + (0.001 if item_id == key else 0.0), key, item_id)
                (found_here if same_section(old, new, renamed) else elsewhere).append(pair)
        # to another section only when nothing in its own matches
        candidates += found_here or elsewhere
    for _, key, item_id in sorted(candidates, reverse=True):
        if key not in placed and item_id not in taken:
            placed[key] = item_id
            taken.add(item_id)
    return placed, [key for key in kept if key not in placed]


def _part_of(old: Fingerprint, new: Fingerprint) -> bool:
    """Whether `old` names a part of `new`: its name and more after a comma, a colon or a dash
    ("Programming Languages, Part A" of "Programming Languages")."""
    rest = old.text[len(new.text) :]
    return (
        old.text.startswith(new.text)
        and (rest[:1] in (",", ":") or rest[:3] in (" - ", " – "))
        and len(rest) > 2
    )


def _like_a_neighbour(old: Fingerprint, text: str) -> bool:
    return any(near and _ratio(near, text) >= SAME_TEXT for near in (old.before, old.after))


def _sole_holders(
    old: Fingerprint, items: dict[str, Fingerprint], holders: dict[str, list[str]]
) -> list[str]:
    """The items that now hold a link of `old` no other item holds, in the file's order."""
    found = {holders[url][0] for url in old.urls if len(holders.get(url, ())) == 1}
    return [item_id for item_id in items if item_id in found]


def combined(
    kept: dict[str, Fingerprint],
    items: dict[str, Fingerprint],
    placed: dict[str, str],
    lost: list[str],
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """What upstream made of items whose progress `match` could not place, by their links:
    merged into one item with other links (OSSU's "Systematic Program Design (alt: part 1 /
    part 2)" over "How to Code - Simple Data" and "- Complex Data"), or split into several
    items that each hold some of its links and nothing else (llm-course's "General
    benchmarks" into one item per benchmark, or into the one left that holds its links). Only
    in the same section, and only where those links are on that one item alone; with no such
    link, merged into the one item whose name its own extends ("Programming Languages, Part
    A", "Part B" and "Part C" into "Programming Languages", OSSU 86af22d). Returns (item id ->
    the kept keys merged into it, kept key -> the items it was split into)."""
    holders: dict[str, list[str]] = defaultdict(list)
    for item_id, fingerprint in items.items():
        for url in fingerprint.urls:
            holders[url].append(item_id)
    renamed = renamed_sections(kept, items)
    taken = set(placed.values())
    merged: dict[str, list[str]] = defaultdict(list)
    split: dict[str, list[str]] = {}
    for key in lost:
        old = kept[key]
        # (never its old neighbour: a bullet that lost its box hands its link to the item
        # above, "Handy reference" to "Book: Head First Design Patterns")
        found = [
            item_id
            for item_id in _sole_holders(old, items, holders)
            if same_section(old, items[item_id], renamed)
            and not _like_a_neighbour(old, items[item_id].text)
        ]
        if not found:  # none holds its links: the one item whose name it extends, if any
            found = [
                item_id
                for item_id, new in items.items()
                if item_id not in taken and new.twins == 0 and _part_of(old, new)
                and same_section(old, new, renamed)
            ]  # fmt: skip
            if len(found) == 1:
                merged[found[0]].append(key)
            continue
        if len(found) == 1 and set(items[found[0]].urls) - set(old.urls):
            merged[found[0]].append(key)
        elif found and all(
            item_id not in taken and set(items[item_id].urls) <= set(old.urls) for item_id in found
        ):
            split[key] = found
    claimed = Counter(item_id for found in split.values() for item_id in found)
    split = {
        key: found
        for key, found in split.items()
        if all(claimed[item_id] == 1 and item_id not in merged for item_id in found)
    }
    return dict(merged), split
