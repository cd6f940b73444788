"""The importer on four realistic shapes of roadmap file."""

from pathlib import Path

from companion.content.roadmap_parser import parse_roadmap

HERE = Path(__file__).with_name("roadmaps")


def load(name: str, base: str = "") -> object:
    return parse_roadmap((HERE / name).read_text(encoding="utf-8"), Path(name).stem, base=base)


def test_phase_plan_with_durations_in_headings():
    roadmap = load("phase_plan.md", base="https://raw.example.org/ml-plan/main/")
    assert roadmap.title == "Machine Learning in Six Months"
    assert roadmap.notes == "A month-by-month plan for engineers who want to train and ship models."
    assert [(p.title, p.estimate and p.estimate.text) for p in roadmap.phases] == [
        ("Foundations", "1 month"),
        ("Classical ML", "6 - 12 weeks"),
        ("Deep Learning", "2-3 months"),
        ("Convolutional networks", None),
        ("Sequence models", None),
    ]
    assert roadmap.skipped_sections == ["Table of Contents", "Contributing", "License"]
    items = {item.text: item for item in roadmap.items}
    eola = items["Linear algebra with Essence of Linear Algebra (video)"]
    assert eola.resources[0].url.startswith("https://www.youtube.com/playlist")  # reference link
    assert eola.resources[0].kind == "video"
    calculus = items["Calculus refresher from the notes"]
    assert calculus.resources[0].url == "https://raw.example.org/ml-plan/main/notes/calculus.md"
    assert items["CS231n (course)"].resources[0].kind == "course"
    assert items["Reproduce a paper from arXiv"].resources[0].kind == "paper"
    assert not any("shields.io" in r.url for i in roadmap.items for r in i.resources)
    assert not any(r.url.startswith("#") for i in roadmap.items for r in i.resources)


def test_course_table_rows_with_links_and_duration_column():
    roadmap = load("course_table.md")
    rows = {item.text: item for item in roadmap.items}
    assert list(rows) == [
        "Practical Deep Learning for Coders",
        "CS229: Machine Learning",
        "Neural Networks: Zero to Hero (video)",
        "Dive into Deep Learning",
        "Deep Learning",
    ]
    assert rows["Practical Deep Learning for Coders"].estimate.text == "7 weeks"
    assert rows["Neural Networks: Zero to Hero (video)"].estimate.text == "20 hours"
    assert rows["Dive into Deep Learning"].estimate.hours(7) == (120, 120)  # a bare number: hours
    assert rows["Neural Networks: Zero to Hero (video)"].resources[0].kind == "video"
    assert rows["Deep Learning"].estimate is None  # the Books table has no duration column
    assert rows["Deep Learning"].resources[0].kind == "book"


def test_deep_checkbox_plan_keeps_five_levels_and_ticks():
    roadmap = load("checkbox_plan.md")
    week1 = roadmap.phases[0]
    assert [(i.depth, i.checked) for i in week1.items][:5] == [
        (0, True),
        (1, True),
        (2, True),
        (3, True),
        (4, False),
    ]
    deepest = week1.items[4]
    assert deepest.text == "Solve it again without looking, in under 10 minutes"
    assert deepest.parent_id == week1.items[3].id
    assert sum(1 for i in roadmap.items if i.checked) == 5


def test_awesome_list_sections_details_and_badges():
    roadmap = load("awesome_list.md", base=str(HERE))
    assert roadmap.title == "Awesome Deep Learning"
    assert [p.title for p in roadmap.phases] == ["Books", "Courses", "Videos and Lectures"]
    assert roadmap.skipped_sections == ["Contents", "Contributing", "Translations", "License"]
    videos = roadmap.phases[2].items
    assert [i.text for i in videos] == [
        "How To Create A Mind - Ray Kurzweil.",
        "Deep Learning, Self-Taught Learning - Andrew Ng.",
    ]  # inside <details>
    assert all(r.kind == "video" for i in videos for r in i.resources)
    assert roadmap.phases[1].items[0].resources[0].kind == "course"


def test_sections_can_be_brought_back_or_left_out_by_name():
    text = "---\ninclude_sections: Contributing\nexclude_sections: Books\n---\n" + (
        HERE / "awesome_list.md"
    ).read_text(encoding="utf-8")
    roadmap = parse_roadmap(text, "awesome")
    # Contributing is back, but holds prose and no item: read in the notes, not a phase
    assert [p.title for p in roadmap.phases] == ["Courses", "Videos and Lectures"]
    assert "### Contributing\n\nPlease read the [contribution guidelines]" in roadmap.notes
    assert "Books" not in roadmap.notes
