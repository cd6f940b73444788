"""Anki fields as Markdown, faithfully: code blocks, sup/sub, entities, lists, tables, Anki's
LaTeX, sounds and media names with spaces and accents."""

from hypothesis import given, settings
from hypothesis import strategies as st

from companion.content.anki_html import html_to_markdown, link_target


def test_a_code_block_keeps_its_fence_and_lines():
    text = html_to_markdown("What?<pre><code>for i in range(3):\n    print(i)</code></pre>")
    assert text == "What?\n\n```\nfor i in range(3):\n    print(i)\n```"


def test_superscripts_and_subscripts_read_as_such():
    assert html_to_markdown("H<sub>2</sub>O and r<sup>2</sup>") == "H₂O and r²"
    assert html_to_markdown("e<sup>ix</sup>") == "e^(ix)"  # no Unicode form for every letter


def test_escaped_markup_stays_text():
    assert html_to_markdown("how is &lt;b&gt; written") == "how is \\<b> written"
    assert html_to_markdown("As &amp;lt;b&amp;gt;") == "As \\&lt;b\\&gt;"
    assert html_to_markdown("Tom &amp; Jerry") == "Tom & Jerry"


def test_lists_and_tables():
    assert html_to_markdown("<ol><li>one</li><li>two</li></ol>") == "1. one\n2. two"
    table = "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"
    assert html_to_markdown(table) == "| a | b |\n| --- | --- |\n| 1 | 2 |"


def test_anki_latex_becomes_dollar_math():
    assert html_to_markdown("[$]x^2[/$] and [$$]y[/$$]") == "$x^2$ and $$y$$"
    assert html_to_markdown("[latex]$e^{z}$[/latex]") == "$e^{z}$"
    assert html_to_markdown("[latex]\\frac{a}{b}[/latex]") == "$$\\frac{a}{b}$$"


def test_sounds_link_to_their_file_and_names_keep_spaces():
    media = {"hallo welt.wav": "../media/hallo welt.wav", "größe (1).png": "../media/größe (1).png"}
    assert html_to_markdown("Say [sound:hallo welt.wav]", media) == (
        "Say [🔊 hallo welt.wav](../media/hallo%20welt.wav)"
    )
    assert html_to_markdown('<img src="größe (1).png">', media) == (
        "![größe (1).png](../media/größe%20%281%29.png)"
    )
    assert link_target("a b%c.png") == "a%20b%25c.png"
    assert html_to_markdown("[sound:gone.mp3]") == "(sound: gone.mp3)"


_PIECES = st.sampled_from([
    "a", "word ", " ", "\n", "\t", "  ", "*", "_", "`", "<", ">", "&", "&amp;", "x<y", "<b>",
    "</b>", "<B>", "<strong>", "</strong>", "<i>", "</i>", "<em>", "</em>", "<code>", "</code>",
    "<br>", "<br/>", "<br />", "</br>", "<b/>", "</b/>", "<b >", "<div>", "</div>", "<p>",
    "<span>", "<b class='x'>", "<!-- c -->", "é", "\xa0", "1.", "- ", "#", "\\",
])  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=14))
def test_the_quick_way_for_plain_fields_writes_what_the_parser_writes(pieces):
    from companion.content.anki_html import _parsed_markdown, _simple_markdown

    value = "".join(pieces)
    quick = _simple_markdown(value)
    if quick is not None:
        assert quick == _parsed_markdown(value, {})
