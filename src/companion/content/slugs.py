"""Ids made from free text (kept apart from the roadmap parser, which is slow to import)."""

import re

_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A lowercase, dash-separated id from free text."""
    return _SLUG.sub("-", text.casefold()).strip("-") or "roadmap"
