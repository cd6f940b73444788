"""A folder of topic files (roadmap.sh's content layout, an Obsidian vault) as one roadmap.

Each Markdown file is a topic: its first heading (else its name) is the item, the links in it
are the item's resources, and roadmap.sh's `[@video@Title](url)` prefixes give their kind.
Sub-folders are phases. Order comes from an index file (`index.md`, `README.md`) that links to
the files, else from the number prefixes roadmap.sh uses (`101-how-the-web-works.md`), else
from the names.
"""

import re
from pathlib import Path

from companion.content.errors import ContentError

INDEX_NAMES = ("index.md", "readme.md", "_index.md")
MAX_TOPICS = 5000
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_LINK = re.compile(r"(?<!!)\[(?:@(?P<kind>[a-z]+)@)?(?P<title>[^\]]+)\]\((?P<url>[^)\s]+)\)")
_PREFIX = re.compile(r"^(\d+)[-_. ]+")
_ID_SUFFIX = re.compile(r"@[\w-]+$")  # roadmap.sh's "topic@a1B2c3" file names
_KINDS = {"video": "video", "article": "article", "course": "course", "book": "book",
          "podcast": "podcast", "feed": "article", "official": "article",
          "opensource": "repo"}  # fmt: skip


def _name(path: Path) -> str:
    stem = _ID_SUFFIX.sub("", _PREFIX.sub("", path.stem if path.is_file() else path.name))
    return " ".join(stem.replace("-", " ").replace("_", " ").split()).capitalize() or path.name


def _order(folder: Path, entries: list[Path], read) -> list[Path]:  # noqa: ANN001
    """Entries in the order an index file links them, then by number prefix, then by name."""
    index = next((e for e in entries if e.name.lower() in INDEX_NAMES), None)
    listed: list[Path] = []
    if index is not None:
        for match in _LINK.finditer(read(index)):
            target = (folder / match["url"].split("#")[0]).resolve()
            hit = next((e for e in entries if e.resolve() == target), None)
            if hit is not None and hit not in listed:
                listed.append(hit)

    def key(entry: Path) -> tuple:
        number = _PREFIX.match(entry.name)
        return (0, int(number.group(1)), entry.name) if number else (1, 0, entry.name.lower())

    rest = sorted((e for e in entries if e not in listed and e is not index), key=key)
    return listed + rest


def _topic_lines(path: Path, text: str) -> list[str]:
    heading = _HEADING.search(text)
    title = heading.group(1).strip() if heading else _name(path)
    lines = [f"- [ ] {title}"]  # a box: only boxes are items, and these links go to it
    for match in _LINK.finditer(text):
        kind = _KINDS.get((match["kind"] or "").lower())
        tag = f" ({kind})" if kind else ""
        lines.append(f"  - [{match['title'].strip()}]({match['url']}){tag}")
    return lines


def folder_roadmap(folder: Path, read) -> str:  # noqa: ANN001
    """The folder as one roadmap's Markdown; `read` reads a file's text (capped, checked)."""
    title_file = next(
        (folder / n for n in ("index.md", "README.md") if (folder / n).is_file()), None
    )  # noqa: E501
    heading = _HEADING.search(read(title_file)) if title_file else None
    lines = ["---", "items: boxes", "---", ""]
    named = folder.parent if folder.name.lower() == "content" else folder  # roadmap.sh's layout
    lines += [f"# {heading.group(1).strip() if heading else _name(named)}", ""]
    count = 0

    def walk(current: Path, level: int) -> None:
        nonlocal count
        entries = [
            e
            for e in current.iterdir()
            if not e.name.startswith(".") and (e.is_dir() or e.suffix.lower() == ".md")
        ]
        files = [e for e in _order(current, entries, read) if e.is_file()]
        folders = [e for e in _order(current, entries, read) if e.is_dir()]
        if files:
            for path in files:
                count += 1
                if count > MAX_TOPICS:
                    raise ContentError(f"{folder}: more than {MAX_TOPICS} topic files")
                lines.extend(_topic_lines(path, read(path)))
            lines.append("")
        for sub in folders:
            lines.extend([f"{'#' * min(level, 6)} {_name(sub)}", ""])
            walk(sub, level + 1)

    walk(folder, 2)
    if count == 0:
        raise ContentError(f"{folder}: no Markdown topic files in the folder")
    return "\n".join(lines) + "\n"
