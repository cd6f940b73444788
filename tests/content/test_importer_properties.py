"""Generated Markdown never makes the importer raise, and ids stay stable and unique."""

from hypothesis import given, settings
from hypothesis import strategies as st

from companion.content.deck import parse_deck
from companion.content.roadmap_parser import parse_roadmap

FRAGMENTS = st.sampled_from(
    [
        "# ",
        "## ",
        "### ",
        "- ",
        "  - ",
        "    - ",
        "1. ",
        "- [ ] ",
        "- [x] ",
        "* ",
        "> ",
        "| a | b |\n|---|---|\n| [x](http://x) | 2 weeks |\n",
        "[link](",
        ")",
        "](",
        "[",
        "]",
        "![img](i.png)",
        "<details>",
        "</details>",
        "<summary>s</summary>",
        "```",
        "---\n",
        "\n",
        "\n\n",
        "[2 months]",
        "(1-3 months)",
        "~120 hours",
        "{{c1::",
        "}}",
        "::",
        "Q: ",
        "A: ",
        "`code`",
        "**b**",
        "_i_",
        "<!-- item: x -->",
        "[ref]: http://r\n",
        "[r][ref]",
        "http://a.b",
        "\t",
        "\x1b[31m",
        "\u200b",
        "é",
        "😀",
        "#anchor",
        "(video)",
    ]
)
MARKDOWN = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWN)
def test_roadmap_parser_never_raises_and_ids_are_unique(text):
    roadmap = parse_roadmap(text, "generated", base="https://example.org/dir/")
    ids = [item.id for item in roadmap.items]
    assert len(ids) == len(set(ids))
    assert len({phase.id for phase in roadmap.phases}) == len(roadmap.phases)
    assert parse_roadmap(text, "generated", base="https://example.org/dir/").items == roadmap.items


@settings(max_examples=300, deadline=None)
@given(MARKDOWN)
def test_deck_parser_never_raises(text):
    deck = parse_deck(text, "generated", "generated.md")
    for problem in deck.problems:
        assert problem.startswith("generated.md:") and "\n" not in problem
