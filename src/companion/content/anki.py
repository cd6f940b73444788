"""Anki's "Notes in Plain Text" format, both ways: headers, separators, quoting, HTML."""

import csv
import html
import io
import re
from dataclasses import dataclass, field

from companion.content.anki_export import export_notes
from companion.content.anki_html import html_to_markdown
from companion.content.deck import Card, format_card
from companion.text import clean_text

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_BREAK = re.compile(r"<br\s*/?>|</(?:div|p|li)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass
class AnkiNote:
    """One note read from an export: a basic card or a cloze sentence, with its tags."""

    front: str
    back: str
    tags: list[str] = field(default_factory=list)


@dataclass
class AnkiImport:
    """What an export held: its deck name, its notes, and the rows that could not be used."""

    deck: str | None
    notes: list[AnkiNote]
    problems: list[str]


def html_to_text(value: str) -> str:
    """Reduce Anki's field HTML to plain text: line breaks kept, tags dropped, entities decoded."""
    text = _BREAK.sub("\n", value.replace("\r\n", "\n"))
    text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
    return clean_text("\n".join(line.rstrip() for line in text.split("\n")).strip())


def _headers(lines: list[str]) -> tuple[dict[str, str], int]:
    headers: dict[str, str] = {}
    count = 0
    for line in lines:
        if not line.startswith("#") or ":" not in line:
            break
        key, _, value = line[1:].partition(":")
        headers[key.strip().lower()] = value.strip()
        count += 1
    return headers, count


def _column(headers: dict[str, str], names: list[str], key: str) -> int | None:
    """A column's index from `#<key> column:N` (1-based) or from `#columns:` names."""
    if f"{key} column" in headers:
        try:
            return int(headers[f"{key} column"]) - 1
        except ValueError:
            return None
    lowered = [name.lower() for name in names]
    return lowered.index(key) if key in lowered else None


def parse_anki_export(text: str, label: str) -> AnkiImport:
    """Read an export; a row without a front is reported as `file:line: reason` and skipped."""
    lines = text.lstrip("\ufeff").splitlines()
    headers, skip = _headers(lines)
    separator = headers.get("separator", "tab").lower()
    delimiter = SEPARATORS.get(separator, separator[:1] or "\t")
    is_html = headers.get("html", "false").lower() == "true"
    names = (
        [n.strip() for n in headers.get("columns", "").split(delimiter)]
        if "columns" in headers
        else []
    )
    tags_at = _column(headers, names, "tags")
    notetype_at = _column(headers, names, "notetype")
    skipped = {
        tags_at,
        notetype_at,
        _column(headers, names, "deck"),
        _column(headers, names, "guid"),
    }
    global_tags = headers.get("tags", "").split()
    notes, problems = [], []
    reader = csv.reader(io.StringIO("\n".join(lines[skip:])), delimiter=delimiter)
    for row in reader:
        line_no = skip + reader.line_num
        fields = [f for i, f in enumerate(row) if i not in skipped]
        if not any(f.strip() for f in row):
            continue
        convert = html_to_markdown if is_html else (lambda v: clean_text(v.strip()))
        front = convert(fields[0]) if fields else ""
        back = "\n".join(convert(f) for f in fields[1:] if f.strip())
        if not front:
            problems.append(f"{label}:{line_no}: row has no front field")
            continue
        tags = global_tags + (
            row[tags_at].split() if tags_at is not None and tags_at < len(row) else []
        )
        if "{{c" in front and "::" in front:
            back = ""  # a cloze: its extra field is not a separate answer
        elif not back:
            problems.append(f"{label}:{line_no}: row has no back field")
            continue
        notes.append(AnkiNote(front, back, tags))
    return AnkiImport(headers.get("deck"), notes, problems)


def notes_to_markdown(notes: list[AnkiNote], title: str) -> str:
    """A Markdown deck holding the imported notes, tags kept in a comment per card."""
    parts = [f"# {title}\n\nImported from Anki.\n"]
    for note in notes:
        block = format_card(note.front, note.back)
        if note.tags:
            block = f"<!-- tags: {' '.join(note.tags)} -->\n{block}"
        parts.append(block)
    return "\n".join(parts)


def cards_to_anki(cards: list[Card], deck: str) -> str:
    """An export Anki's importer reads: Basic, reversed and Cloze notes with HTML fields, each
    with its deck (`deck` for cards of no deck file) and its GUID, tab-separated."""
    out = io.StringIO()
    out.write("#separator:tab\n#html:true\n#notetype column:1\n#guid column:2\n")
    out.write("#deck column:3\n#tags column:6\n")
    out.write("#columns:Notetype\tGUID\tDeck\tFront\tBack\tTags\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    names = {"basic": "Basic", "reversed": "Basic (and reversed card)", "cloze": "Cloze"}
    for note in export_notes(cards):
        writer.writerow(
            [names[note.kind], note.guid, note.deck or deck, *note.fields, " ".join(note.tags)]
        )
    return out.getvalue()
