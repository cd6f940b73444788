import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import companion
from companion.cli.main import main
from companion.config import Settings
from companion.paths import bundled_content_dir
from companion.services.study_session import start_review
from companion.srs.scheduling import Grade
from companion.store import open_store


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "companion", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def test_help_lists_the_commands_and_options(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for words in ("stats", "where", "--data-dir", "--pane", "roadmap,reader,review,timer"):
        assert words in out
    with pytest.raises(SystemExit):
        main(["stats", "--help"])
    assert "--json" in capsys.readouterr().out


def test_bad_pane_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--pane", "nowhere"])
    assert exited.value.code == 2


def test_stats_json_reports_progress_reviews_study_time_and_timer(data_dir: Path, capsys):
    from companion.content.loader import load_library

    library = load_library([bundled_content_dir()])
    roadmap = next(r for r in library.roadmaps if r.id == "top-down")
    now = datetime.now(UTC)
    store = open_store(data_dir)
    for item in roadmap.items[:3]:
        store.set_item_state(roadmap.id, item.id, "done", now)
    store.set_item_state(roadmap.id, roadmap.items[3].id, "skipped", now)
    session = start_review(library, store, Settings(), now)
    session.next_card(now)
    session.answer(Grade.GOOD, now)
    store.log_block(
        {
            "phase": "focus",
            "item_id": roadmap.items[0].id,
            "started_at": now.timestamp() - 1500,
            "ended_at": now.timestamp(),
            "minutes": 25,
            "outcome": "completed",
        }
    )
    store.close()

    assert main(["--data-dir", str(data_dir), "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    top_down = next(r for r in stats["roadmaps"] if r["id"] == "top-down")
    assert top_down["done"] == 4
    assert top_down["total"] == len(roadmap.items)
    assert top_down["percent"] == round(100 * 4 / len(roadmap.items))
    assert stats["reviews_today"] == 1
    assert stats["study_minutes_week"] == 25
    assert stats["weekly_target_minutes"] == 420
    assert stats["due_now"] == 20  # 19 new left today + the answered card, due again in 10 min
    review = stats["review"]
    assert len(review["reviews_per_day"]) == 183 and sum(review["reviews_per_day"].values()) == 1
    assert review["totals"]["learning"] == 1 and review["totals"]["new"] == len(library.cards) - 1
    assert len(review["due_forecast_14d"]) == 14
    assert review["true_retention_30d"]["young"] is None
    study = stats["study"]
    assert len(study["minutes_per_day"]) == 84 and sum(study["minutes_per_day"].values()) == 25
    assert study["minutes_per_week"][-1]["minutes"] == 25
    assert study["minutes_per_item"] == {roadmap.items[0].id: 25}
    plan = next(r for r in study["roadmaps"] if r["id"] == "top-down")
    assert plan["phases"][0]["logged_hours"] == round(25 / 60, 2)
    assert plan["phases"][0]["estimate"] == "2 months"
    assert plan["forecast"]["pace_hours_per_week"] == round(25 / 60 / 4, 2)
    # 25 minutes in four weeks against about 620 hours left: centuries, so no date is given.
    assert plan["forecast"]["finish_at_pace"] is None
    assert plan["forecast"]["pace_beyond_horizon"] is True
    assert plan["forecast"]["finish_at_target"] is not None
    assert stats["timer"] == {
        "state": "idle",
        "phase": "focus",
        "remaining_seconds": 1500,
        "item_id": None,
    }


def test_stats_works_while_the_app_holds_the_lock(data_dir: Path):
    holder = open_store(data_dir)
    try:
        result = run_cli("--data-dir", str(data_dir), "stats", "--json")
    finally:
        holder.close()
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["roadmaps"]) == 2


def test_bad_config_is_a_one_line_error(data_dir: Path):
    (data_dir / "config.toml").write_text("focus_minutes = 'long'\n")
    result = run_cli("--data-dir", str(data_dir), "stats")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "focus_minutes" in result.stderr


def test_data_dir_from_the_environment(tmp_path: Path):
    env_dir = tmp_path / "from-env"
    result = subprocess.run(
        [sys.executable, "-m", "companion", "where"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"COMPANION_HOME": str(env_dir), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert f"data: {env_dir}" in result.stdout
    assert (env_dir / "decks").is_dir() and (env_dir / "notes").is_dir()


def test_bundled_content_is_found_from_any_directory(tmp_path: Path):
    result = run_cli("--data-dir", str(tmp_path / "d"), "stats", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert {r["id"] for r in stats["roadmaps"]} == {"study-method", "top-down"}
    assert stats["cards_total"] >= 40
    package_dir = Path(companion.__file__).parent
    if "site-packages" in str(package_dir):  # a non-editable install: content is in the wheel
        assert bundled_content_dir() == package_dir / "bundled"


def test_the_app_gets_a_store_that_answers_with_the_learners_settings(
    data_dir: Path, monkeypatch, capsys
):
    """The store applies each answer with its own scheduler: it must be the learner's (their
    learning steps), and a long rebuild of card states is announced before the screen opens."""
    import gc

    import companion.store.store as store_module
    from companion.ui import startup
    from companion.ui.app import CompanionApp

    (data_dir / "config.toml").write_text("learning_steps_minutes = [1, 10, 60]\n")
    store = open_store(data_dir)
    store.commit({"kind": "review", "card": "c1", "grade": 3, "ts": 1.0e9,
                  "due": "2001-09-09T01:47:40+00:00", "first": True,
                  "before": ["c1", None, 0, 0, False, False, None, False]})  # fmt: skip
    store.close()
    (data_dir / store_module.SNAPSHOT_NAME).unlink()
    monkeypatch.setattr(store_module, "LONG_REPLAY_MB", 0.0)
    seen = {}

    def run(app: CompanionApp) -> None:
        seen["steps"] = app.store.ledger.scheduler.learning_steps

    monkeypatch.setattr(CompanionApp, "run", run)
    monkeypatch.setattr(startup, "_managed", False)
    try:
        assert main(["--data-dir", str(data_dir)]) == 0
    finally:
        gc.enable()  # paused for start-up; the app that would turn it back on never ran
    assert [step.total_seconds() / 60 for step in seen["steps"]] == [1, 10, 60]
    assert "rebuilding card states from" in capsys.readouterr().err
