"""Links from a document to files on disk: where `docs/x.md` or `../notes.md#part` lead."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


@dataclass(frozen=True)
class LocalTarget:
    """A file a link points to, and the heading it names (its `#fragment`, decoded)."""

    path: Path
    fragment: str

    @property
    def is_markdown(self) -> bool:
        """Whether the Reader shows it (other files go to the system's viewer)."""
        return self.path.suffix.lower() in MARKDOWN_SUFFIXES


def is_local(href: str) -> bool:
    """A relative path or a file: URL (not a web link, not mailto: and the like)."""
    scheme = urlsplit(href).scheme.lower()
    return scheme == "file" or (scheme == "" and not href.startswith("//"))


def resolve_local(href: str, bases: list[Path]) -> LocalTarget | None:
    """Where a local link leads, read from the first of `bases` (folders) holding the file, or
    from the first base when none does; None for a bare `#fragment` or a non-local link."""
    if not is_local(href) or not bases:
        return None
    parts = urlsplit(href)
    path_text, fragment = unquote(parts.path), unquote(parts.fragment)
    if not path_text:
        return None
    path = Path(path_text).expanduser()
    if path.is_absolute():
        return LocalTarget(path.resolve(), fragment)
    candidates = [(base / path).resolve() for base in bases]
    found = next((candidate for candidate in candidates if candidate.exists()), candidates[0])
    return LocalTarget(found, fragment)
