"""Anki's card templates rendered from a note's fields."""

from companion.content.anki_templates import fields_shown, generates, render, render_card

BASIC = ("{{Front}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}")
VOCAB = [
    ("Recognise", "{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}<br><i>{{Example}}</i>"),
    ("Recall", "{{Meaning}}", "{{FrontSide}}<hr id=answer>{{Word}}"),
]
FIELDS = {"Word": "Hund", "Meaning": "dog", "Example": "Der Hund bellt."}


def test_each_template_asks_its_own_fields():
    first = render_card(VOCAB[0][1], VOCAB[0][2], FIELDS)
    second = render_card(VOCAB[1][1], VOCAB[1][2], FIELDS)
    assert (first.question, first.answer) == ("Hund", "dog<br><i>Der Hund bellt.</i>")
    assert (second.question, second.answer) == ("dog", "Hund")  # the second field asked


def test_sections_show_when_their_field_has_text():
    template = "{{#Add Reverse}}{{Back}}{{/Add Reverse}}{{^Hint}}no hint{{/Hint}}"
    assert render(template, {"Add Reverse": "y", "Back": "b", "Hint": ""}) == "bno hint"
    assert render(template, {"Add Reverse": " <br> ", "Back": "b", "Hint": "h"}) == ""
    assert not generates("{{#Add Reverse}}{{Back}}{{/Add Reverse}}", {"Add Reverse": ""})


def test_filters_and_typed_answers():
    card = render_card("{{Front}}\n\n{{type:Back}}", "{{Front}}<hr id=answer>{{type:Back}}", {
        "Front": "Spell dog", "Back": "Hund"})  # fmt: skip
    assert (card.question.strip(), card.answer, card.typed_field) == ("Spell dog", "Hund", "Back")
    assert render("{{text:Front}}", {"Front": "<b>bold</b>"}) == "bold"
    assert render("{{tts en_US:Front}}", {"Front": "x"}) == ""


def test_a_field_no_template_shows_is_known():
    assert fields_shown(tuple(VOCAB)) == {"Word", "Meaning", "Example", "FrontSide"}
    only_tested = (("Card 2", "{{#Add Reverse}}{{Back}}{{/Add Reverse}}", "{{Front}}"),)
    assert "Add Reverse" not in fields_shown(only_tested)
    assert render_card(*BASIC, {"Front": "q", "Back": "a"}).answer.strip() == "a"
