"""The reviews to come and the workload of each desired retention, from the command line, on a
collection learnt on one day: the forecast is the records' own due days; the workload table
comes from fsrs-rs's simulator with the learner's parameters, size and limits."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion.cli.main import main
from companion.config import Settings
from companion.srs.review_stats import due_forecast
from companion.store import open_store

from .test_backlog import answer_everything


def test_the_forecast_counts_each_day_s_reviews(data_dir: Path, capsys):
    answer_everything(data_dir, datetime.now(UTC) - timedelta(days=2))
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "cards", "forecast", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    store = open_store(data_dir, read_only=True)
    expected = due_forecast(list(store.ledger.records.values()), datetime.now().astimezone(), 30)
    store.close()
    assert [day["due"] for day in shown["days"]] == expected
    assert shown["total"] == sum(expected) and 0 < shown["total"] <= 120
    assert shown["days"][0]["date"] == datetime.now().astimezone().date().isoformat()
    assert main(["--data-dir", str(data_dir), "cards", "forecast", "--days", "0"]) == 2


def test_the_workload_table_runs_from_0_70_to_0_97_with_the_current_setting_marked(
    data_dir: Path, capsys
):
    answer_everything(data_dir, datetime.now(UTC) - timedelta(days=2))
    (data_dir / "config.toml").write_text("desired_retention = 0.85\n")
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "cards", "simulate", "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    rows = table["rows"]
    assert [r["desired_retention"] for r in rows] == [round(0.70 + n / 100, 2) for n in range(28)]
    assert [r["desired_retention"] for r in rows if r["current"]] == [0.85]
    assert rows[-1]["minutes_per_day"] > rows[0]["minutes_per_day"]  # more kept, more work
    assert rows[-1]["remembered"] > rows[0]["remembered"]
    assert table["cards"] >= 120
    assert main(["--data-dir", str(data_dir), "cards", "simulate"]) == 0
    said = capsys.readouterr().out
    assert "0.85" in said and "← yours" in said


def test_the_simulator_is_given_the_learner_s_parameters_and_limits():
    import fsrs_rs_python

    from companion.services.workload import workload_jobs

    fitted = tuple(fsrs_rs_python.DEFAULT_PARAMETERS[:20]) + (0.3,)
    settings = Settings(new_cards_per_day=7, reviews_per_day=70, fsrs_parameters=fitted)
    jobs = workload_jobs(settings, 400)
    assert len(jobs) == 28
    w, retention, size, learn, review = jobs[0]
    assert w == pytest.approx([float(p) for p in fitted])  # the fitted ones, not the defaults
    assert (retention, size, learn, review) == (0.7, 400, 7, 70)
    assert workload_jobs(settings, 10_000)[0][2] == 7 * 365  # what a year can introduce


def test_cards_that_cannot_be_introduced_in_the_year_change_nothing_in_the_simulation():
    """The simulated deck is capped at what a year of new cards can reach (a 50,000-card
    collection took 20 s): the result is the one of the whole collection."""
    import fsrs_rs_python

    from companion.services.workload import DAYS, F32_MAX, SEED, simulate_workload

    settings = Settings(new_cards_per_day=5)
    capped = simulate_workload(settings, 3000)[20]  # desired retention 0.90
    config = fsrs_rs_python.default_simulator_config()
    config.deck_size, config.learn_span = 3000, DAYS
    config.learn_limit, config.review_limit = 5, settings.reviews_per_day
    config.max_cost_perday = F32_MAX
    whole = fsrs_rs_python.simulate(list(fsrs_rs_python.DEFAULT_PARAMETERS), 0.9, config, SEED)
    assert capped.desired_retention == 0.9
    assert capped.minutes_per_day == pytest.approx(sum(whole.cost_per_day) / DAYS / 60)
    assert capped.remembered == pytest.approx(whole.memorized_cnt_per_day[-1])


def test_a_day_s_study_time_is_not_capped_as_anki_leaves_it_uncapped():
    """Anki runs its workload table with `max_cost_perday: f32::MAX`; the simulator's default
    of 30 minutes held every retention near 30 minutes a day (28.6 to 30.2 at 36,500 cards),
    and had 0.97 remember fewer cards than 0.70 (1,818 against 4,726)."""
    from companion.services.workload import simulate_workload

    settings = Settings(new_cards_per_day=100, reviews_per_day=100_000)
    table = simulate_workload(settings, 50_000)
    assert table[-1].minutes_per_day > 2 * table[0].minutes_per_day > 60
    remembered = [row.remembered for row in table]
    assert remembered == sorted(remembered)  # the more asked, the more kept
