"""How the Reader words a link's health on an item page."""

from companion.content.item_page import item_page
from companion.content.roadmap_parser import parse_roadmap
from companion.links.verdicts import LinkResult


def _page(result: LinkResult) -> str:
    roadmap = parse_roadmap(f"# Plan\n\n## Phase\n\n- Read [the page]({result.url})\n", "plan")
    item = roadmap.items[0]
    return item_page(roadmap, item, {}, health={result.url: result})


def test_a_missing_fragment_says_so_and_a_move_says_where():
    url = "https://example.org/page#part"
    missing = LinkResult(url, "broken", 200, None, "missing fragment #part")
    assert "✗ **broken** (missing fragment \\#part)" in _page(missing)
    assert "now at" not in _page(missing)
    moved = LinkResult(url, "broken", 200, "https://example.org/new", "missing fragment #part")
    assert "(missing fragment \\#part; now at https://example.org/new)" in _page(moved)
    redirected = LinkResult("https://example.org/a", "redirected", 200, "https://example.org/b")
    assert "→ redirected (now at https://example.org/b)" in _page(redirected)
