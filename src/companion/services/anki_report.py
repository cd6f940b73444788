"""What an Anki import did, counted as it goes, for the summary the command prints."""

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    """What an import did, for the one-paragraph summary the command prints."""

    notes_added: int = 0
    notes_updated: int = 0
    notes_unchanged: int = 0
    cards: int = 0
    reviews_added: int = 0
    reviews_known: int = 0
    media_copied: int = 0
    decks: set[str] = field(default_factory=set)
    approximated: dict[str, int] = field(default_factory=dict)
    occlusions: int = 0
    """Image Occlusion notes drawn as image cards."""
    deck_options: int = 0
    """Decks whose Anki options were saved as companion's per-deck settings."""
    typed: int = 0
    """Notes whose cards ask for a typed answer (written as plain questions and answers)."""
    problems: list[str] = field(default_factory=list)
