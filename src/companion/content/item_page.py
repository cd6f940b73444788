"""The Markdown page the Reader shows for a roadmap item or a whole roadmap."""

from companion.content.progress import FINISHED, item_state, phase_progress
from companion.content.roadmap import Item, Phase, Resource, Roadmap
from companion.links.verdicts import LinkResult

STATE_WORDS = {"todo": "To do", "doing": "In progress", "done": "Done", "skipped": "Skipped"}


def escape_inline(text: str) -> str:
    """Keep learner-visible text literal inside Markdown (no accidental emphasis or links)."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def _health(result: LinkResult | None) -> str:
    """How a link fared in the last check, for the Reader."""
    if result is None:
        return ""
    verdict = result.verdict
    detail = result.error or (f"HTTP {result.status}" if result.status else "")
    if result.final_url:  # a move, after what went wrong (a missing fragment) if anything
        detail = "; ".join(filter(None, [result.error, f"now at {result.final_url}"]))
    marks = {
        "ok": "✓ ok",
        "redirected": "→ redirected",
        "broken": "✗ **broken**",
        "blocked": "⊘ blocked (the site refuses checkers)",
        "offline": "? offline",
    }
    text = marks.get(verdict, verdict)
    return f" · {text}" + (f" ({escape_inline(detail)})" if detail and verdict != "ok" else "")


def item_links(phase: Phase, item: Item) -> list[Resource]:
    """The links an item's page numbers: its own, then its section's own that it lacks."""
    own = {r.url for r in item.resources}
    return [*item.resources, *(r for r in phase.resources if r.url not in own)]


def _resources(
    resources: list[Resource],
    health: dict[str, LinkResult | None] | None,
    saved: set[str] | None,
    start: int = 1,
    title: str = "Resources",
) -> list[str]:
    """The numbered list of links (from `start`), each with its health and whether it was
    saved."""
    if not resources:
        return []
    return [
        f"## {title}",
        "",
        *(
            f"{number}. [{escape_inline(r.title)}]({r.url}) — `{r.url}`"
            + (f" *({r.kind})*" if r.kind != "link" else "")
            + _health((health or {}).get(r.url))
            + (f" · saved: press {number} to read offline" if r.url in (saved or set()) else "")
            for number, r in enumerate(resources, start=start)
        ),
        "",
    ]


def item_page(
    roadmap: Roadmap,
    item: Item,
    states: dict[str, str],
    notes: str = "",
    health: dict[str, LinkResult | None] | None = None,
    saved: set[str] | None = None,
) -> str:
    """The item: its phase, state, resources, the learner's notes, details, the phase's notes."""
    phase = roadmap.phase_of(item)
    lines = [f"# {escape_inline(item.text)}", ""]
    estimate = f" · estimate {phase.estimate.text}" if phase.estimate else ""
    lines.append(
        f"*{escape_inline(roadmap.title)} › {escape_inline(phase.title)}{estimate}* · "
        f"**{STATE_WORDS[item_state(item, states)]}**"
    )
    lines.append("")
    lines += _resources(item.resources, health, saved)
    lines += _resources(
        item_links(phase, item)[len(item.resources) :], health, saved,
        start=len(item.resources) + 1, title=f"From {escape_inline(phase.title)}",
    )  # fmt: skip
    lines += ["## Your notes", ""]
    lines += [notes.strip(), ""] if notes.strip() else ["*None yet: press `n` in the Roadmap.*", ""]
    if item.details and "\n" in item.details:
        lines += ["## From the roadmap", "", item.details, ""]
    if phase.notes:
        lines += [f"## About {escape_inline(phase.title)}", "", phase.notes, ""]
    return "\n".join(lines)


def phase_page(
    roadmap: Roadmap,
    phase: Phase,
    states: dict[str, str],
    health: dict[str, LinkResult | None] | None = None,
    saved: set[str] | None = None,
) -> str:
    """A phase: its estimate, its own links, its notes, and its items with their states."""
    lines = [f"# {escape_inline(phase.title)}", ""]
    progress = phase_progress(phase, states)
    facts = [f"*{escape_inline(roadmap.title)}*"]
    if phase.estimate:
        facts.append(f"estimate {phase.estimate.text}")
    if phase.items:
        facts.append(f"**{progress.percent}%** done ({progress.finished}/{progress.total})")
    lines += [" · ".join(facts), ""]
    lines += _resources(phase.resources, health, saved)
    if phase.notes:
        lines += [phase.notes, ""]
    if phase.items:
        lines += ["## Items", ""]
        for item in phase.items:
            mark = "x" if item_state(item, states) in FINISHED else " "
            word = STATE_WORDS[item_state(item, states)]
            lines.append(f"{'  ' * item.depth}- [{mark}] {escape_inline(item.text)} · *{word}*")
    return "\n".join(lines)


def roadmap_page(roadmap: Roadmap) -> str:
    """A roadmap's overview: its notes and the phases with their estimates."""
    lines = [f"# {escape_inline(roadmap.title)}", ""]
    if roadmap.estimate or roadmap.weekly_target_hours:
        facts = []
        if roadmap.estimate:
            facts.append(f"{roadmap.estimate.text} in all")
        if roadmap.weekly_target_hours:
            facts.append(f"suggested pace {roadmap.weekly_target_hours:g} hours a week")
        lines += ["*" + ", ".join(facts) + "*", ""]
    if roadmap.notes:
        lines += [roadmap.notes, ""]
    lines += ["## Phases", ""]
    for phase in roadmap.phases:
        estimate = f" — {phase.estimate.text}" if phase.estimate else ""
        lines.append(f"- {escape_inline(phase.title)}{estimate} ({len(phase.items)} items)")
    lines += ["", "Select an item in the Roadmap pane (`m`) to read about it here."]
    return "\n".join(lines)
