"""A parsed roadmap as plain tuples and lists, and back, for the parse cache.

`SCHEMA` names every field of every class involved, so a cache written before a field was
added, removed or reordered no longer matches and is parsed anew rather than misread.
"""

from dataclasses import fields

from companion.content.estimates import Estimate
from companion.content.roadmap import Item, Phase, Resource, Roadmap

SCHEMA = tuple(
    (cls.__name__, tuple(f.name for f in fields(cls)))
    for cls in (Roadmap, Phase, Item, Resource, Estimate)
)


def _estimate(value: tuple | None) -> Estimate | None:
    return None if value is None else Estimate(*value)


def _estimate_plain(estimate: Estimate | None) -> tuple | None:
    return None if estimate is None else tuple(getattr(estimate, f.name) for f in fields(Estimate))


def _plain(obj: object, nested: dict) -> tuple:
    """The fields of a dataclass in order, with `nested` ones converted by their function."""
    return tuple(
        nested[f.name](getattr(obj, f.name)) if f.name in nested else getattr(obj, f.name)
        for f in fields(obj)  # type: ignore[arg-type]
    )


def _resources_plain(resources: list[Resource]) -> list[tuple]:
    return [_plain(resource, {}) for resource in resources]


def _item_plain(item: Item) -> tuple:
    return _plain(item, {"resources": _resources_plain, "estimate": _estimate_plain})


def _phase_plain(phase: Phase) -> tuple:
    return _plain(
        phase,
        {
            "estimate": _estimate_plain,
            "items": lambda items: list(map(_item_plain, items)),
            "resources": _resources_plain,
        },
    )


def roadmap_to_plain(roadmap: Roadmap) -> tuple:
    """The roadmap as nested tuples and lists of strings, numbers, booleans and None."""
    return _plain(
        roadmap,
        {
            "phases": lambda phases: list(map(_phase_plain, phases)),
            "estimate": _estimate_plain,
            "skipped_sections": list,
            "problems": list,
        },
    )


def _named(cls: type, values: tuple) -> dict:
    return dict(zip((f.name for f in fields(cls)), values, strict=True))


def _item(values: tuple) -> Item:
    item = _named(Item, values)
    item["resources"] = [Resource(*resource) for resource in item["resources"]]
    item["estimate"] = _estimate(item["estimate"])
    return Item(**item)


def _phase(values: tuple) -> Phase:
    phase = _named(Phase, values)
    phase["estimate"] = _estimate(phase["estimate"])
    phase["items"] = [_item(item) for item in phase["items"]]
    phase["resources"] = [Resource(*resource) for resource in phase["resources"]]
    return Phase(**phase)


def roadmap_from_plain(values: tuple) -> Roadmap:
    """Rebuild what `roadmap_to_plain` gave; raises TypeError or ValueError on a mismatch."""
    roadmap = _named(Roadmap, values)
    roadmap["phases"] = [_phase(phase) for phase in roadmap["phases"]]
    roadmap["estimate"] = _estimate(roadmap["estimate"])
    roadmap["skipped_sections"] = list(roadmap["skipped_sections"])
    roadmap["problems"] = list(roadmap["problems"])
    return Roadmap(**roadmap)
