import pytest

from companion.content.estimates import find_estimate


@pytest.mark.parametrize(
    ("heading", "low", "high", "unit", "title"),
    [
        ("Getting started [2 months]", 2, 2, "months", "Getting started"),
        ("Portfolio [3 - 12 months]", 3, 12, "months", "Portfolio"),
        ("Theory 101 (1-3 months)", 1, 3, "months", "Theory 101"),
        ("Whole plan ~120 hours", 120, 120, "hours", "Whole plan ~120 hours"),
        ("Linear algebra: 2 weeks", 2, 2, "weeks", "Linear algebra: 2 weeks"),
        ("Your first paper [6 - 12 months]", 6, 12, "months", "Your first paper"),
        ("Warm-up (3 days)", 3, 3, "days", "Warm-up"),
        ("Capstone [6 to 8 weeks]", 6, 8, "weeks", "Capstone"),
        ("Sprint [2h]", 2, 2, "hours", "Sprint"),
        ("Computer science degree (4 years)", 4, 4, "years", "Computer science degree"),
        ("Core CS [2 semesters]", 2, 2, "semesters", "Core CS"),
    ],
)
def test_durations_in_headings(heading, low, high, unit, title):
    estimate, rest = find_estimate(heading)
    assert estimate is not None
    assert (estimate.low, estimate.high, estimate.unit) == (low, high, unit)
    assert rest == title


@pytest.mark.parametrize(
    "heading",
    [
        "Forums",
        "Step 2 of the plan",
        "Python 3.11",
        "Top 10 papers",
        "3D reconstruction",
        "2D convolutions",
        "CS224W: Machine Learning with Graphs",
        "STA 4273H: Large scale machine learning",
        "Deep Learning course (2014W)",
        "A 2h-long lecture on transformers",
        "Intro to 3d graphics",
    ],
)
def test_headings_without_durations(heading):
    estimate, rest = find_estimate(heading)
    assert estimate is None
    assert rest == heading


def test_estimate_in_hours_uses_the_weekly_pace():
    estimate, _ = find_estimate("[1-3 months]")
    low, high = estimate.hours(7)
    assert low == pytest.approx(7 * 4.345)
    assert high == pytest.approx(3 * 7 * 4.345)
    assert find_estimate("~120 hours")[0].midpoint_hours(7) == 120


def test_years_and_semesters_in_hours():
    assert find_estimate("[1 year]")[0].hours(10) == (520, 520)
    assert find_estimate("(2 semesters)")[0].hours(10) == (300, 300)


def test_in_an_items_text_only_a_marked_duration_counts():
    assert find_estimate("7 Years of scaling lessons in 30 minutes", marked_only=True)[0] is None
    assert find_estimate("Total storage over 5 years", marked_only=True)[0] is None
    assert find_estimate("Read the book [3 weeks]", marked_only=True)[0].text == "3 weeks"
    assert find_estimate("Project ~20 hours", marked_only=True)[0].text == "~20 hours"
