"""Headings that hold no item: an introduction's "What is it?", a contents label. They are
prose, not phases to work through, so their text joins the notes and the heading leaves the
tree; a heading over sub-sections that hold items stays, as their group. A heading with links
of its own and no item under it (a course and its "🔗 Link to Course") is one item to take,
where every bullet is an item (in a checklist the boxes are)."""

from companion.content.checklist import ALL
from companion.content.roadmap import Item, Phase, Roadmap, stable_id
from companion.text import normalise


def fold_empty_phases(roadmap: Roadmap) -> int:
    """Drop the phases with no item and no sub-section with items; each one's notes go, under
    its title, to the next phase that stays (the section it introduced), or to the roadmap's
    notes when none follows or no item came before it (an introduction). Returns how many."""
    phases = roadmap.phases
    for at, phase in enumerate(phases):
        if roadmap.counting == ALL and phase.resources and not _holds_items(phases, at):
            item_id = stable_id(phase.id, "", normalise(phase.title))
            phase.items = [Item(item_id, phase.title, phase.id, resources=list(phase.resources),
                                line=phase.line, estimate=phase.estimate)]  # fmt: skip
    keep = [_holds_items(phases, at) for at in range(len(phases))]
    if all(keep):
        return 0
    kept: list[Phase] = []
    waiting: list[str] = []  # notes of dropped phases, for the next phase kept
    intro: list[str] = []
    for phase, stays in zip(phases, keep, strict=True):
        if not stays:
            text = f"### {phase.title}\n\n{phase.notes}".strip() if phase.notes else ""
            if text:
                (waiting if any(p.items for p in kept) else intro).append(text)
            continue
        if waiting and phase.items:
            phase.notes = "\n\n".join([*waiting, phase.notes]).strip()
            waiting = []
        kept.append(phase)
    roadmap.notes = "\n\n".join([roadmap.notes, *intro, *waiting]).strip()
    dropped = len(phases) - len(kept)
    roadmap.phases = kept
    return dropped


def _holds_items(phases: list[Phase], at: int) -> bool:
    """Whether the phase, or a deeper heading before the next one at its level, has items."""
    level = phases[at].level
    for phase in phases[at:]:
        if phase is not phases[at] and phase.level <= level:
            return False
        if phase.items:
            return True
    return False
