from pathlib import Path

import pytest

from companion.content.errors import ContentError
from companion.content.loader import load_library, load_roadmap
from companion.content.roadmap_parser import parse_roadmap
from companion.paths import bundled_content_dir

PHASE_PLAN = """\
---
title: Linear algebra sprint
weekly_target_hours: 5
---

# Linear algebra sprint (~40 hours)

Intro paragraph for the whole plan.

## Vectors [2 weeks]

Start with geometry before algebra.

- Watch [Essence of linear algebra](https://example.org/eola) (video)
  - Pause and sketch each transformation
  - [Notes](https://example.org/notes) on span
- Read chapter 1 of [the book](https://example.org/book)

## Matrices (1-3 months)

1. Multiply matrices by hand
2. Implement matmul in NumPy

## Forums

- [Discuss](https://example.org/forum)
"""


def test_phases_items_resources_and_notes():
    roadmap = parse_roadmap(PHASE_PLAN, "la")
    assert roadmap.title == "Linear algebra sprint"
    assert roadmap.weekly_target_hours == 5
    assert roadmap.estimate.text == "~40 hours"
    assert roadmap.notes == "Intro paragraph for the whole plan."
    assert [p.title for p in roadmap.phases] == ["Vectors", "Matrices"]
    assert roadmap.skipped_sections == ["Forums"]  # not study content, by the section rule
    vectors, matrices = roadmap.phases
    assert vectors.estimate.text == "2 weeks"
    assert matrices.estimate.text == "1-3 months"
    assert vectors.notes == "Start with geometry before algebra."
    texts = [item.text for item in vectors.items]
    assert texts == [
        "Watch Essence of linear algebra (video)",
        "Pause and sketch each transformation",
        "Notes on span",
        "Read chapter 1 of the book",
    ]
    watch, sketch, notes, _ = vectors.items
    assert watch.resources[0].url == "https://example.org/eola"
    assert sketch.parent_id == watch.id and sketch.depth == 1
    assert notes.resources[0].title == "Notes"
    assert [item.text for item in matrices.items] == [
        "Multiply matrices by hand",
        "Implement matmul in NumPy",
    ]


def test_task_lists_nested_checked_state():
    text = "## Plan\n\n- [x] Done thing\n- [ ] Open thing\n  - [X] Nested done\n    - [ ] Deep\n"
    items = parse_roadmap(text).items
    assert [(i.text, i.checked, i.depth) for i in items] == [
        ("Done thing", True, 0),
        ("Open thing", False, 0),
        ("Nested done", True, 1),
        ("Deep", False, 2),
    ]


def test_table_rows_with_links_become_items():
    text = (
        "## Courses\n\n| Course | Length |\n|---|---|\n"
        "| [CS231n](https://cs231n.example) | 10 weeks |\n| No link here | 2 weeks |\n"
    )
    items = parse_roadmap(text).items
    assert len(items) == 1
    assert items[0].text == "CS231n"
    assert items[0].resources[0].url == "https://cs231n.example"


def test_html_blocks_images_and_anchor_links_are_not_resources():
    text = (
        "## Read\n\n<div align='center'><img src='logo.png'></div>\n\n"
        "- ![badge](https://img.example/badge.svg) [Paper](https://paper.example)\n"
        "- See [below](#later)\n"
    )
    items = parse_roadmap(text).items
    assert [r.url for r in items[0].resources] == ["https://paper.example"]
    assert items[1].resources == []


def test_headings_without_durations_and_content_before_headings():
    text = "- loose item\n\n## Plain heading\n\n- item\n"
    roadmap = parse_roadmap(text)
    assert [p.title for p in roadmap.phases] == ["Overview", "Plain heading"]
    assert all(p.estimate is None for p in roadmap.phases)


def test_ids_survive_whitespace_changes_and_reordering():
    first = parse_roadmap("## A\n\n- Learn  gradient descent\n- Read [x](https://x.example)\n")
    second = parse_roadmap(
        "## A\n\n\n- Read [x](https://x.example)\n-   Learn gradient\n  descent\n"
    )
    assert {i.text: i.id for i in first.items} == {i.text: i.id for i in second.items}


def test_duplicate_items_get_distinct_ids():
    items = parse_roadmap("## A\n\n- same\n- same\n").items
    assert len({item.id for item in items}) == 2


def test_empty_text_gives_empty_roadmap():
    assert parse_roadmap("").phases == []


def test_empty_file_invalid_utf8_and_binary_are_clear_errors(tmp_path: Path):
    empty = tmp_path / "empty.md"
    empty.write_text("")
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"## Caf\xe9\n\n- item\n")
    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    for path, words in [(empty, "empty"), (latin, "not UTF-8"), (binary, "binary")]:
        with pytest.raises(ContentError) as raised:
            load_roadmap(path)
        message = str(raised.value)
        assert str(path) in message and words in message and "\n" not in message


def test_escape_sequences_are_removed_from_roadmap_text(tmp_path: Path):
    path = tmp_path / "evil.md"
    path.write_text("## Phase\n\n- Learn \x1b[31mred\x1b[0m [bold]things[/]\n", encoding="utf-8")
    item = load_roadmap(path).items[0]
    assert "\x1b" not in item.text
    assert item.text == "Learn red [bold]things[/]"


def test_bundled_roadmaps_carry_the_seed_facts():
    library = load_library([bundled_content_dir()])
    assert library.problems == []
    by_id = {roadmap.id: roadmap for roadmap in library.roadmaps}
    method = by_id["study-method"]
    assert method.estimate.midpoint_hours(7) == 120
    assert method.weekly_target_hours == 7
    top_down = by_id["top-down"]
    estimates = {phase.title: phase.estimate and phase.estimate.text for phase in top_down.phases}
    assert estimates["Getting started"] == "2 months"
    assert estimates["Portfolio"] == "3 - 12 months"
    assert estimates["Theory 101"] == "1-3 months"
    assert estimates["Your first paper"] == "6 - 12 months"
    urls = {r.url for roadmap in library.roadmaps for i in roadmap.items for r in i.resources}
    assert "https://quantum.country/" in urls
    assert "http://www.deeplearningbook.org/" in urls
    assert len(library.cards) >= 40


def test_a_paragraph_bullet_is_titled_by_its_label_or_its_first_sentence():
    """#27, as llm-course writes its topics ("**Label**: a paragraph"): the label is the
    item's title, or the first sentence of a long unlabelled bullet; the whole bullet stays
    as its details, and short bullets are their own title."""
    from companion.content.roadmap_parser import parse_roadmap

    body = (
        "# Plan\n\n## Python\n\n"
        "* **Python Basics**: A good grasp of the syntax, the data types, error handling and "
        "classes is needed before any of the libraries below make sense.\n"
        "* Vectors and matrices come first in every course of this kind. After them come "
        "eigenvalues, and the rest of linear algebra after those.\n"
        "* **Short**: stays whole\n"
    )
    items = parse_roadmap(body, "plan", "plan.md").items
    assert [item.text for item in items] == [
        "Python Basics",
        "Vectors and matrices come first in every course of this kind.",
        "Short: stays whole",
    ]
    assert "error handling and classes" in items[0].details


def test_progress_set_on_a_paragraph_title_follows_it_to_its_short_title():
    from companion.content.item_identity import Fingerprint, match

    long = (
        "python basics: a good grasp of the syntax, the data types, error handling and classes "
        "is needed before any of the libraries below make sense."
    )
    kept = {"old": Fingerprint(long, phase="python")}
    items = {"new": Fingerprint("python basics", phase="python"),
             "other": Fingerprint("python libraries", phase="python")}  # fmt: skip
    assert match(kept, items) == ({"old": "new"}, [])
