"""Untrusted text as Rich Text: never parsed as markup, never carrying escape sequences."""

from rich.text import Text

from companion.text import clean_text


def plain(text: str, style: str = "") -> Text:
    """`text` shown literally, with square brackets kept and control characters removed."""
    return Text(clean_text(text), style=style)
