"""The copies a sync engine makes of a file two machines changed: Syncthing's
`NAME.sync-conflict-20260302-101500-ABCDEFG.md`, Dropbox's `NAME (Desktop's conflicted copy
2026-03-02).md`, Nextcloud's `NAME (conflicted copy 2026-03-02 101500).md`. They hold a
learner's edits that the engine could not merge: kept, told, never read as decks or roadmaps
of their own (their cards and items would come twice)."""

import re

_COPY = re.compile(
    r"^(?P<stem>.+?)(?:\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}"
    r"| \([^()]*conflicted copy[^()]*\))(?P<suffix>\.[^.]*)?$"
)


def original_of(name: str) -> str | None:
    """The name of the file a conflict copy is of, or None for a name that is not one."""
    found = _COPY.match(name)
    return None if found is None else found["stem"] + (found["suffix"] or "")


def copy_told(path_text: str, original: str) -> str:
    """The one line that tells of a conflict copy."""
    return (
        f"{path_text}: a sync engine's conflict copy of {original}, not read; merge what you "
        "want of it into that file and delete it"
    )
