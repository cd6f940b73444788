"""Text helpers every layer uses: untrusted text made safe for a terminal, identities, slugs."""

import re

# CSI, OSC and other escape sequences; then any C0/C1 control character but tab and newline.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, ...
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks, clipboard
    r"|[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|[@-Z\\-_])"  # two-character sequences
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Return `text` without escape sequences or control characters (tabs and newlines stay)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def normalise(text: str) -> str:
    """Collapse runs of whitespace and case, so identities survive reformatting."""
    return " ".join(text.split()).casefold()


_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A lowercase, dash-separated id from free text."""
    return _SLUG.sub("-", text.casefold()).strip("-") or "roadmap"


def shorten(text: str, width: int) -> str:
    """One line of at most `width` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def shortened(text: str, max_chars: int, max_lines: int) -> tuple[str, bool]:
    """The start of `text` that fits `max_chars` and `max_lines`, and whether any was cut."""
    cut = text[:max_chars]
    lines = cut.split("\n", max_lines)
    if len(lines) > max_lines:
        cut = "\n".join(lines[:max_lines])
    return cut, len(cut) < len(text)


def size_words(characters: int) -> str:
    """A text's size as a learner reads it: '10.0 MB', '120 KB', '900 characters'."""
    if characters >= 1_000_000:
        return f"{characters / 1_000_000:.1f} MB"
    if characters >= 10_000:
        return f"{characters // 1000} KB"
    return f"{characters} characters"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 card', '2 cards', '0 cards' (`many` for words that do not take an s)."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"
