from pathlib import Path

import pytest

from companion.config import ConfigError, Settings, load_settings
from companion.srs.scheduling import make_scheduler


def test_defaults_without_a_file(tmp_path: Path):
    settings = load_settings(tmp_path)
    assert settings == Settings()
    assert settings.desired_retention == 0.9
    assert settings.learning_steps_minutes == (1, 10)


def test_scheduling_settings_reach_fsrs(tmp_path: Path):
    (tmp_path / "config.toml").write_text(
        "desired_retention = 0.85\nlearning_steps_minutes = [2, 15, 60]\n"
        "relearning_steps_minutes = [5]\nmaximum_interval_days = 365\nenable_fuzzing = false\n"
    )
    scheduler = make_scheduler(load_settings(tmp_path))
    assert scheduler.desired_retention == 0.85
    assert [s.total_seconds() / 60 for s in scheduler.learning_steps] == [2, 15, 60]
    assert [s.total_seconds() / 60 for s in scheduler.relearning_steps] == [5]
    assert scheduler.maximum_interval == 365
    assert scheduler.enable_fuzzing is False


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("colour = 'blue'", "unknown setting 'colour'"),
        ("learning_steps_minutes = 10", "list of positive numbers"),
        ("new_cards_per_day = true", "should be int"),
        ("desired_retention = 'high'", "should be float"),
        ("focus_minutes = [", "not a valid TOML file"),
    ],
)
def test_bad_settings_are_one_line_errors_naming_the_file(tmp_path: Path, line, words):
    (tmp_path / "config.toml").write_text(line + "\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(tmp_path)
    message = str(raised.value)
    assert words in message and str(tmp_path / "config.toml") in message
    assert "\n" not in message
