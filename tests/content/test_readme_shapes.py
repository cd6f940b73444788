"""Shapes real study-plan READMEs take (written here in our own words): bold paragraphs that
head a list, an HTML title in a centred div, community and team sections, a lone h2 title."""

from companion.content.roadmap_parser import parse_roadmap

LECTURES = """## Neural nets from scratch

A video course in which we write every line ourselves.

---

**Lecture 1: Gradients by hand, building a tiny autograd**

We derive backpropagation on paper first, then code it.

- [Video lecture](https://videos.example/1)
- [Notebook](lectures/autograd)

---

**Lecture 2: A character-level language model**

- [Video lecture](https://videos.example/2)
- [Notebook](lectures/charlm)

**Note:** exercises are in each video's description, and this sentence is long enough to be prose.
"""

CENTRED = """<div align="center">
<img src="logo.png" alt="logo"/>
<h3>Self-Taught Systems University</h3>
<p>A free path through computer systems.</p>
</div>

# Contents

- [Summary](#summary)
- [Community](#community)

# Summary

Take the courses in order.

# Community

- [Chat room](https://chat.example/room)

# Curriculum

## Core programming

- [Program design](https://courses.example/design)

# Team

- [Maintainer](https://people.example/one)
"""


def test_bold_paragraphs_over_lists_are_phases_and_a_lone_h2_is_the_title():
    roadmap = parse_roadmap(LECTURES, "lectures")
    assert roadmap.title == "Neural nets from scratch"
    assert [(p.title, p.level) for p in roadmap.phases] == [
        ("Lecture 1: Gradients by hand, building a tiny autograd", 3),
        ("Lecture 2: A character-level language model", 3),
    ]
    assert [len(p.items) for p in roadmap.phases] == [2, 2]
    # The two "Video lecture" items are told apart by their phases, not by a counter.
    first, second = (p.items[0] for p in roadmap.phases)
    assert first.text == second.text == "Video lecture" and first.id != second.id
    assert not first.id.endswith("-2") and not second.id.endswith("-2")


def test_an_html_title_and_community_and_team_sections_left_out():
    roadmap = parse_roadmap(CENTRED, "sss")
    assert roadmap.title == "Self-Taught Systems University"
    # Summary holds prose only: its text is in the notes; Curriculum groups a section
    assert [p.title for p in roadmap.phases] == ["Curriculum", "Core programming"]
    assert roadmap.notes.endswith("### Summary\n\nTake the courses in order.")
    assert [i.text for i in roadmap.items] == ["Program design"]
    assert roadmap.skipped_sections == ["Contents", "Community", "Team"]


def test_emoji_in_front_of_a_contents_heading_does_not_hide_it_from_the_rule():
    text = "# Plan\n\n## 📚 Table of Contents\n\n- [Part](#part)\n\n## Part\n\n- [Read](https://r.example)\n"
    roadmap = parse_roadmap(text, "plan")
    assert [p.title for p in roadmap.phases] == ["Part"]
    assert roadmap.skipped_sections == ["📚 Table of Contents"]


def test_a_contents_list_is_never_items_wherever_it_sits():
    text = (
        "# Plan\n\n"
        "- [Basics](#basics)\n  - [Tensors](#tensors)\n- [Projects](#projects)\n\n"
        "<details><summary>Translations</summary>\n\n- [Español](README-es.md)\n\n</details>\n\n"
        "## Basics\n\n- [Tensors](https://t.example) in depth\n"
        "- Read about [shapes](#shapes) first\n"
    )
    roadmap = parse_roadmap(text, "plan")
    assert [i.text for i in roadmap.items] == ["Tensors in depth", "Read about shapes first"]


def test_front_matter_title_wins_over_the_heading_and_a_senseless_target_is_ignored():
    text = "---\ntitle: My plan\nid: Mine\nweekly_target_hours: nan\n---\n# Other\n\n## P\n\n- a\n"
    roadmap = parse_roadmap(text, "x")
    assert (roadmap.title, roadmap.id, roadmap.weekly_target_hours) == ("My plan", "mine", None)


CHECKLIST = (
    "# Interview prep\n\n## Data structures\n\n"
    + "".join(
        f"- [ ] Topic {n}\n  - [video](https://v.example/{n})\n  - notes on topic {n}\n"
        for n in range(1, 5)
    )
    + "\n## Extra reading\n\n- Books list\n"
)


def test_a_checklist_counts_its_boxes_and_their_links_follow_them():
    roadmap = parse_roadmap(CHECKLIST, "prep")
    assert roadmap.counting == "boxes"
    # the boxes, and the bullets of a section with no box once the checklist has begun
    assert [i.text for i in roadmap.items] == [*(f"Topic {n}" for n in range(1, 5)), "Books list"]
    assert [r.url for r in roadmap.items[0].resources] == ["https://v.example/1"]
    every = parse_roadmap("---\nitems: all\n---\n" + CHECKLIST, "prep")
    assert every.counting == "all" and len(every.items) == 4 * 3 + 1


def test_a_plan_with_a_few_boxes_counts_every_bullet():
    text = "# Plan\n\n## Part\n\n- [ ] Set up Python\n- Read chapter 1\n- Read chapter 2\n"
    roadmap = parse_roadmap(text, "plan")
    assert roadmap.counting == "all" and len(roadmap.items) == 3


def test_lists_and_tables_written_in_html_are_read_like_markdown():
    text = (
        "# Courses\n\n## Core\n\n"
        "<table>\n<tr><th>Course</th><th>Duration</th></tr>\n"
        '<tr><td><a href="https://courses.example/spd">Program design</a></td>'
        "<td>13 weeks</td></tr>\n"
        '<tr><td><a href="https://courses.example/sys">Systems</a> <img src="b.svg"></td>'
        "<td>10 weeks</td></tr>\n</table>\n\n"
        "## Extras\n\n<details><summary>More reading</summary>\n<ul>\n"
        '  <li><a href="https://read.example/a">The first paper</a> (short)</li>\n'
        "  <li>Reflect on what you read</li>\n</ul>\n</details>\n"
    )
    roadmap = parse_roadmap(text, "courses")
    assert [(i.text, [r.url for r in i.resources]) for i in roadmap.items] == [
        ("Program design", ["https://courses.example/spd"]),
        ("Systems", ["https://courses.example/sys"]),
        ("The first paper (short)", ["https://read.example/a"]),
        ("Reflect on what you read", []),
    ]
    assert [p.title for p in roadmap.phases] == ["Core", "Extras"]
    assert [i.estimate.text if i.estimate else None for i in roadmap.items][:2] == [
        "13 weeks",
        "10 weeks",
    ]


COURSE_TABLES = (
    "# Open CS\n\n## Summary\n\n**Courses must**:\n- Be open for enrollment\n"
    "- Match the [guidelines](GUIDELINES.md)\n\n## Core\n\n"
    "Courses | Duration | Effort | Prerequisites | Discussion\n:-- | :--: | :--: | :--: | :--:\n"
    + "".join(
        f"[Course {n}](https://courses.example/{n}) | {n + 1} weeks | {n}-{n + 4} hours/week | "
        f"[Course {n - 1}](https://courses.example/{n - 1}) | [chat](https://discord.gg/c{n})\n"
        for n in range(1, 11)
    )
    + "\n## Tools\n\n- [Shell](https://tools.example/shell) | 2 weeks\n\n"
    "Courses | Duration | Effort\n:-- | :--: | :--:\n"
    "[Missing Semester](https://missing.example/) | 2 weeks | 12 hours/week\n"
    "[Self-paced](https://self.example/) | 30 hours | -\n"
)


def test_a_course_table_counts_its_rows_with_their_effort_and_own_links():
    roadmap = parse_roadmap(COURSE_TABLES, "open-cs")
    assert roadmap.counting == "rows"
    assert [i.text for i in roadmap.items] == [
        *(f"Course {n}" for n in range(1, 11)), "Missing Semester", "Self-paced"
    ]  # fmt: skip
    first, missing, paced = roadmap.items[0], roadmap.items[-2], roadmap.items[-1]
    # 2 weeks at 1-5 hours a week, and 2 weeks at 12 hours a week: not weeks at the learner's
    # pace; a row given in hours stays in hours
    assert (first.estimate.low, first.estimate.high, first.estimate.unit) == (2, 10, "hours")
    assert first.estimate.text == "2-10 hours"  # the row's cells, in its details, say how
    assert missing.estimate.hours(40) == (24, 24)
    assert paced.estimate.hours(40) == (30, 30)
    # the prerequisite's and the discussion's links are not the course's
    assert [r.url for r in first.resources] == ["https://courses.example/1"]
    assert first.details.endswith("| Course 0 | chat")  # kept to read
    # the criteria and the bullet are read as their sections' notes, not items to tick
    assert [p.title for p in roadmap.phases] == ["Core", "Tools"]
    assert "- Be open for enrollment" in roadmap.notes
    assert "[Shell](https://tools.example/shell)" in roadmap.phases[1].notes
    every = parse_roadmap("---\nitems: all\n---\n" + COURSE_TABLES, "open-cs")
    assert every.counting == "all" and len(every.items) == 12 + 3


def test_a_few_tables_among_bullets_leave_every_bullet_an_item():
    steps = "".join(f"- Step {n}\n" for n in range(12))
    few = parse_roadmap("# Plan\n\n## Part\n\n" + steps + COURSE_TABLES, "plan")
    assert few.counting == "all"
    assert sum(i.text.startswith("Step") for i in few.items) == 12


def test_an_archived_copy_of_a_page_is_the_same_link_and_long_texts_compare_letter_by_letter():
    from companion.content.item_identity import _ratio, same_link

    page = "http://www.algorithms.example/wiki/Solutions_(Second_Edition)"
    assert same_link(f"https://web.archive.org/web/20150404194210/{page}") == same_link(page)
    assert same_link("https://web.archive.org/web/2015id_/example.com/a/") == "example.com/a"
    paragraph = "for every 2-4 tree there are corresponding red-black trees, " * 6
    assert _ratio(paragraph, paragraph.replace("2-4 tree ", "2-4 trees ", 1)) > 0.99


COURSE_INDEX = (
    "# Video courses\n\n**Machine Learning**\n\n"
    "- [Course A](#course-a)\n- [Course B](#course-b)\n\n"
    "**Deep Learning**\n\n- [Course C](#course-c)\n\n"
    "## Course A\n\nAn introduction.\n\n- Lecture 1: Basics\n- Lecture 2: Models\n\n"
    "🔗 [Link to Course](https://video.example/a) 🔗 [Link to Materials](https://a.example/)\n\n"
    "## Course B\n\nNo lecture list here.\n\n🔗 [Link to Course](https://video.example/b)\n\n"
    "## Course C\n\nSee [the notes](https://c.example/notes) before you start.\n\n- Lecture 1\n"
)


def test_a_link_line_under_a_heading_is_the_headings_and_a_course_alone_is_an_item():
    from companion.content.item_page import item_links, item_page, phase_page
    from companion.ui.panes.roadmap_labels import phase_label

    roadmap = parse_roadmap(COURSE_INDEX, "courses")
    # the bold contents labels over their lists of anchors are no phases at all
    assert [p.title for p in roadmap.phases] == ["Course A", "Course B", "Course C"]
    a, b, c = roadmap.phases
    assert [(r.title, r.url) for r in a.resources] == [
        ("Link to Course", "https://video.example/a"),
        ("Link to Materials", "https://a.example/"),
    ]
    assert [i.text for i in a.items] == ["Lecture 1: Basics", "Lecture 2: Models"]
    assert "Link to Course" not in a.notes  # a line of links is not a note
    # a course with no lecture list is the one thing to take in its section
    assert [(i.text, [r.url for r in i.resources]) for i in b.items] == [
        ("Course B", ["https://video.example/b"])
    ]
    assert c.resources == [] and "[the notes](https://c.example/notes)" in c.notes  # prose
    assert [r.url for r in roadmap.resources()] == [
        "https://video.example/a", "https://a.example/", "https://video.example/b"
    ]  # fmt: skip
    page = phase_page(roadmap, a, {})
    assert "## Resources" in page and "1. [Link to Course](https://video.example/a)" in page
    # a lecture's page numbers its section's links after its own, to open while studying it
    lecture = item_page(roadmap, a.items[0], {})
    assert "## From Course A" in lecture
    assert "2. [Link to Materials](https://a.example/)" in lecture
    assert [r.url for r in item_links(a, a.items[0])] == [
        "https://video.example/a", "https://a.example/"
    ]  # fmt: skip
    assert "↗2" in phase_label(a, {}, None).plain


def test_a_notebook_badge_is_the_rows_notebook_and_other_badges_are_not_links():
    colab = "https://colab.research.google.com/drive/1abc?usp=sharing"
    text = (
        "# Notebooks\n\n## Tools\n\n| Notebook | Description | Notebook |\n|---|---|---|\n"
        f'| 🥱 Merger | Merge models. | <a href="{colab}"><img src="img/colab.svg" '
        'alt="Open In Colab"></a> |\n'
        "| Evaluator | Evaluate. | [![Open In Colab](img/colab.svg)](https://colab.research."
        "google.com/drive/2def) |\n"
        "| Licensed | A badge. | [![License](https://img.shields.io/badge/MIT.svg)]"
        "(https://opensource.org/licenses/MIT) |\n"
    )
    roadmap = parse_roadmap(text, "notebooks")
    assert [(i.text, [(r.title, r.url, r.kind) for r in i.resources]) for i in roadmap.items] == [
        ("🥱 Merger", [("Open In Colab", colab, "notebook")]),
        ("Evaluator", [("Open In Colab", "https://colab.research.google.com/drive/2def",
                        "notebook")]),
    ]  # fmt: skip
