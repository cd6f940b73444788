"""`roadmap add` and `roadmap update`: bring a Markdown roadmap from a file or a URL into the
data directory, with where it came from, so progress lives outside the file and updates merge."""

from datetime import date
from pathlib import Path

from companion.content.errors import ContentError
from companion.content.roadmap import Roadmap
from companion.content.roadmap_parser import (
    FRONT_MATTER,
    parse_front_matter,
    parse_roadmap,
    sharing_tokens,
)
from companion.content.textfile import MAX_BYTES, decode_markdown, read_markdown
from companion.content.topic_folder import folder_roadmap
from companion.store.deck_files import write_learner_file
from companion.text import slugify

FETCH_TIMEOUT_S = 20


def is_url(source: str) -> bool:
    """Whether the source is a web address rather than a file."""
    return source.startswith(("http://", "https://"))


def read_source(source: str) -> tuple[str, str, str]:
    """(text, origin, base) of a roadmap file or URL; ContentError when it is unusable."""
    if is_url(source):
        import asyncio  # here: an update from a file on disk need not load the network code

        import httpx

        from companion.links.fetch import USER_AGENT, FetchError, deadline_for, fetch_bytes

        async def get() -> bytes:
            async with httpx.AsyncClient(
                timeout=FETCH_TIMEOUT_S, headers={"User-Agent": USER_AGENT}
            ) as client:
                return await fetch_bytes(client, source, MAX_BYTES, deadline_for(FETCH_TIMEOUT_S))

        try:
            data = asyncio.run(get())
        except FetchError as error:
            raise ContentError(str(error)) from error
        return decode_markdown(data, source), source, source.rsplit("/", 1)[0] + "/"
    path = Path(source).expanduser().resolve()
    if path.is_dir():  # a folder of topic files, as roadmap.sh keeps its content
        return folder_roadmap(path, read_markdown), str(path), str(path)
    return read_markdown(path), str(path), str(path.parent)


def with_front_matter(text: str, fields: dict[str, str]) -> str:
    """The text with `fields` merged into (or added as) its front matter."""
    match = FRONT_MATTER.match(text)
    existing = parse_front_matter(match.group(1)) if match else {}
    body = text[match.end() :] if match else text
    merged = {**existing, **{k: v for k, v in fields.items() if v}}
    lines = "\n".join(f"{key}: {value}" for key, value in merged.items())
    return f"---\n{lines}\n---\n{body}"


def checked_roadmap(text: str, label: str, roadmap_id: str, base: str) -> Roadmap:
    """Parse and refuse what cannot be studied, with a one-line reason."""
    if not text.strip():
        raise ContentError(f"{label}: file is empty")
    roadmap = parse_roadmap(text, roadmap_id, label, base=base)
    if not roadmap.items:
        raise ContentError(f"{label}: no list items or linked table rows to study")
    return roadmap


def import_roadmap(
    roadmaps_dir: Path,
    source: str,
    roadmap_id: str | None = None,
    include: str = "",
    exclude: str = "",
    replace: bool = False,
    counting: str = "",
) -> tuple[Roadmap, Path]:
    """Copy a roadmap into the data directory; refuse an id already taken unless replacing.
    `counting` is "boxes" or "all" to choose which bullets are items; empty decides by rule."""
    text, origin, base = read_source(source)
    with sharing_tokens():
        return _import(roadmaps_dir, text, origin, base, source, roadmap_id, include, exclude,
                       replace, counting)  # fmt: skip


def _import(
    roadmaps_dir: Path,
    text: str,
    origin: str,
    base: str,
    source: str,
    roadmap_id: str | None,
    include: str,
    exclude: str,
    replace: bool,
    counting: str,
) -> tuple[Roadmap, Path]:
    if roadmap_id:  # named: the copy's parse below checks it (a parse is 0.2 s at 750 items)
        name = roadmap_id
    else:
        preview = checked_roadmap(text, source, "preview", base)
        name = slugify(preview.title if preview.title != "Preview" else Path(origin).stem)
    target = roadmaps_dir / f"{slugify(name)}.md"
    if target.exists() and not replace:
        raise ContentError(
            f"{target}: a roadmap with id '{slugify(name)}' exists; use "
            "'companion roadmap update' or pass --id"
        )
    copy = with_front_matter(
        text,
        {
            "id": slugify(name),
            "origin": origin,
            "base": base,
            "imported": date.today().isoformat(),
            "include_sections": include,
            "exclude_sections": exclude,
            "items": counting,
        },
    )
    roadmap = checked_roadmap(copy, str(target), slugify(name), base)
    write_learner_file(target, copy)
    return roadmap, target
