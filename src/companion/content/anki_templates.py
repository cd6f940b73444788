"""Anki's card templates rendered from a note's fields, so each card asks what its template
asks: `{{Field}}`, `{{#Field}}...{{/Field}}` (shown when the field has text),
`{{^Field}}...{{/Field}}` (when it has none), `{{FrontSide}}`, and the filters learners use
(`text:`, `hint:`, `type:`, `furigana:`, `kana:`, `kanji:`, `tts`). Output is HTML."""

import re
from dataclasses import dataclass

_SECTION = re.compile(r"\{\{([#^])\s*([^}]+?)\s*\}\}(.*?)\{\{/\s*\2\s*\}\}", re.DOTALL)
_TAG = re.compile(r"\{\{\s*([^#^/}][^}]*?)\s*\}\}")
_HTML = re.compile(r"<[^>]+>")
_ANSWER_RULE = re.compile(r"<hr[^>]*\bid\s*=\s*[\"']?answer[\"']?[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class RenderedCard:
    """One card of a note: its question and answer (the part of the answer side after Anki's
    answer rule), and the field a typed answer is checked against, if any."""

    question: str
    answer: str
    typed_field: str | None


def has_text(value: str) -> bool:
    """Whether a field shows anything (Anki's test for sections and for generating cards)."""
    return bool(_HTML.sub("", value).replace("&nbsp;", " ").strip()) or "<img" in value


def _field(spec: str, fields: dict[str, str], typed: list[str]) -> str:
    *filters, name = [part.strip() for part in spec.split(":")]
    if spec.strip() == "FrontSide":
        return fields.get("FrontSide", "")
    value = fields.get(name, "")
    for found in filters:
        if found == "type":
            typed.append(name)
            return ""  # the typing box: the question asks, the answer shows the field
        if found == "text":
            value = _HTML.sub("", value)
        elif found.startswith("tts") or found == "cloze-only":
            return ""
    return value


def render(template: str, fields: dict[str, str], typed: list[str] | None = None) -> str:
    """A template with its sections resolved and its fields put in."""
    typed = typed if typed is not None else []
    previous = None
    while previous != template:  # innermost sections first
        previous = template
        template = _SECTION.sub(
            lambda m: (
                m.group(3) if has_text(fields.get(m.group(2), "")) == (m.group(1) == "#") else ""
            ),
            template,
        )
    return _TAG.sub(lambda m: _field(m.group(1), fields, typed), template)


def render_card(question_format: str, answer_format: str, fields: dict[str, str]) -> RenderedCard:
    """A card's question and answer from its template and its note's fields."""
    typed: list[str] = []
    question = render(question_format, fields, typed)
    answer_side = render(answer_format, {**fields, "FrontSide": question}, [])
    rule = _ANSWER_RULE.search(answer_side)
    answer = answer_side[rule.end() :] if rule else answer_side.replace(question, "", 1)
    if typed:  # the answer side shows the typed field where {{type:...}} stood
        name = typed[0]
        answer = answer.strip() or fields.get(name, "")
        if not has_text(answer):
            answer = fields.get(name, "")
    return RenderedCard(question.strip(), answer.strip(), typed[0] if typed else None)


def generates(question_format: str, fields: dict[str, str]) -> bool:
    """Whether Anki makes this template's card for these fields (its question shows text)."""
    return has_text(render(question_format, fields))


def fields_shown(formats: tuple[tuple[str, str, str], ...]) -> set[str]:
    """Every field some template of the note type shows (a field only tested by a section,
    such as "Add Reverse", shows nothing of its own)."""
    shown = set()
    for _, question, answer in formats:
        for spec in _TAG.findall(question + answer):
            shown.add(spec.split(":")[-1].strip())
    return shown
