from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from companion.content.roadmap_parser import parse_roadmap
from companion.timer.pace import forecast, phase_times, remaining_hours

NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)
PLAN = """\
# Plan

## Basics [2 weeks]

- one
- two

## Depth [4 weeks]

- three
- four

## Extras

- five
"""


def focus(item_id: str, days_ago: int, minutes: float) -> dict:
    ended = (NOW - timedelta(days=days_ago)).timestamp()
    return {
        "phase": "focus",
        "outcome": "completed",
        "minutes": minutes,
        "ended_at": ended,
        "item_id": item_id,
    }


def test_remaining_hours_from_phase_estimates_and_items_left():
    roadmap = parse_roadmap(PLAN, "plan")
    items = {item.text: item.id for item in roadmap.items}
    assert remaining_hours(roadmap, {}, 7) == 2 * 7 + 4 * 7
    states = {items["one"]: "done", items["three"]: "skipped", items["four"]: "done"}
    assert remaining_hours(roadmap, states, 7) == 7  # half of Basics left, Depth finished


def test_a_roadmap_with_only_an_overall_estimate():
    roadmap = parse_roadmap("# Method (~120 hours)\n\n## A\n\n- a\n- b\n- c\n- d\n", "m")
    first = roadmap.items[0].id
    assert remaining_hours(roadmap, {first: "done"}, 7) == 90
    assert remaining_hours(parse_roadmap("## A\n\n- a\n", "x"), {}, 7) is None


def test_forecast_from_the_last_four_weeks_of_logged_time():
    roadmap = parse_roadmap(PLAN, "plan")
    item = roadmap.items[0].id
    blocks = [focus(item, days, 60) for days in range(0, 28, 2)]  # 14 h in 4 weeks
    blocks.append(focus(item, 40, 600))  # older than 4 weeks: not pace
    blocks.append(focus("other-roadmap-item", 1, 600))
    outlook = forecast(roadmap, {}, blocks, NOW, 7)
    assert outlook.pace_hours_per_week == 3.5
    assert outlook.remaining_hours == 42
    assert outlook.finish_at_pace == date(2026, 3, 4) + timedelta(days=84)
    assert outlook.finish_at_target == date(2026, 3, 4) + timedelta(days=42)
    assert forecast(roadmap, {}, [], NOW, 7).finish_at_pace is None


def test_phase_time_against_estimate():
    roadmap = parse_roadmap(PLAN, "plan")
    times = phase_times(roadmap, [focus(roadmap.items[2].id, 1, 90)], 7)
    assert [(t.title, t.logged_hours, t.estimate_hours) for t in times] == [
        ("Basics", 0, (14, 14)),
        ("Depth", 1.5, (28, 28)),
        ("Extras", 0, None),
    ]


def test_a_forecast_past_ten_years_is_said_so_never_an_overflow(tmp_path):
    import subprocess
    import sys

    from companion.paths import ensure_data_dir
    from companion.store import open_store

    data_dir = ensure_data_dir(tmp_path / "data")
    (data_dir / "config.toml").write_text("focus_minutes = 1\n")
    text = "# Theory\n\n## Theory 101 [2000 hours]\n\n- Read the book\n- Do the exercises\n"
    (data_dir / "roadmaps" / "theory.md").write_text(text)
    item = parse_roadmap(text, "theory").items[0]
    store = open_store(data_dir)
    now = datetime.now(UTC).timestamp()
    store.log_block(
        {"phase": "focus", "item_id": item.id, "started_at": now - 60, "ended_at": now,
         "planned_minutes": 1.0, "minutes": 1.0, "outcome": "completed"}
    )  # fmt: skip
    store.close()
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "stats", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr  # was OverflowError: date value out of range
    import json

    theory = next(r for r in json.loads(result.stdout)["study"]["roadmaps"] if r["id"] == "theory")
    assert theory["forecast"]["pace_beyond_horizon"] is True
    assert theory["forecast"]["finish_at_pace"] is None
    assert theory["forecast"]["finish_at_target"] is not None  # 2000 h at 7 h/week: 5.5 years


@settings(max_examples=300, deadline=None)
@given(
    amount=st.floats(0, 1e300, allow_nan=False),
    unit=st.sampled_from(["hours", "weeks", "months", "years", "days"]),
    minutes=st.floats(0, 1e12, allow_nan=False),
    days_ago=st.integers(0, 40),
    target=st.floats(0.01, 168),
)
def test_pace_never_raises_on_any_estimate_or_logged_time(amount, unit, minutes, days_ago, target):
    roadmap = parse_roadmap(f"# P\n\n## Part [{amount:.6g} {unit}]\n\n- a\n- b\n", "p")
    blocks = [focus(roadmap.items[0].id, days_ago, minutes)]
    outlook = forecast(roadmap, {}, blocks, NOW, target)
    assert outlook.as_dict()  # and renders to JSON-ready values
    for finish in (outlook.finish_at_pace, outlook.finish_at_target):
        assert finish is None or finish <= NOW.date() + timedelta(days=3653)
    phase_times(roadmap, blocks, target)


def test_item_estimates_count_when_phases_have_none():
    plan = (
        "# Courses\n\n## Core programming\n\n"
        "| Course | Duration | Effort |\n|---|---|---|\n"
        "| [Systematic Program Design](https://ex.org/spd) | 13 weeks | 8 hours/week |\n"
        "| [Class-based Program Design](https://ex.org/cpd) | 13 weeks | 5 hours/week |\n\n"
        "## Extras\n\n- Read a book [4 weeks]\n- Browse the forum\n"
    )
    roadmap = parse_roadmap(plan, "courses")
    # a course row's duration times its weekly effort (#27), whatever the learner's own pace;
    # the book's weeks are at that pace
    assert [i.estimate.text if i.estimate else None for i in roadmap.items] == [
        "104 hours",
        "65 hours",
        "4 weeks",
        None,
    ]
    assert remaining_hours(roadmap, {}, 10) == 104 + 65 + 40
    first = roadmap.items[0].id
    assert remaining_hours(roadmap, {first: "done"}, 10) == 65 + 40
    outlook = forecast(roadmap, {first: "done"}, [], NOW, 10)
    assert outlook.finish_at_target == NOW.date() + timedelta(days=round(105 / 10 * 7))


def test_a_roadmaps_own_weekly_target_drives_its_forecast():
    plan = "---\nweekly_target_hours: 14\nestimate: 1 year\n---\n# Degree\n\n- a\n- b\n"
    roadmap = parse_roadmap(plan, "degree")
    assert roadmap.weekly_target_hours == 14
    outlook = forecast(roadmap, {}, [], NOW, 7)
    assert outlook.remaining_hours == 14 * 52
    assert outlook.finish_at_target == NOW.date() + timedelta(days=364)
