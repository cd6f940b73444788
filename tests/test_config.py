from pathlib import Path

import pytest

from companion.config import ConfigError, Settings, deck_settings, load_settings
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
        ("review_order = 'oldest'", "one of due, retrievability, random"),
        ("easy_days = [100, 0]", "7 percentages from 0 to 100, Monday first"),
        ("easy_days = [100, 100, 100, 100, 100, 100, 150]", "7 percentages"),
    ],
)
def test_bad_settings_are_one_line_errors_naming_the_file(tmp_path: Path, line, words):
    (tmp_path / "config.toml").write_text(line + "\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(tmp_path)
    message = str(raised.value)
    assert words in message and str(tmp_path / "config.toml") in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("focus_minutes = 0", "focus_minutes"),
        ("focus_minutes = -5", "focus_minutes"),
        ("short_break_minutes = -1", "short_break_minutes"),
        ("long_break_minutes = 0.0", "long_break_minutes"),
        ("focus_blocks_before_long_break = 0", "focus_blocks_before_long_break"),
        ("desired_retention = 0", "desired_retention"),
        ("desired_retention = nan", "desired_retention"),
        ("desired_retention = 0.5", "desired_retention"),
        ("desired_retention = 1.0", "desired_retention"),
        ("link_max_concurrency = 0", "link_max_concurrency"),
        ("link_max_per_host = 0", "link_max_per_host"),
        ("link_timeout_seconds = nan", "link_timeout_seconds"),
        ("link_timeout_seconds = inf", "link_timeout_seconds"),
        ("link_timeout_seconds = 0", "link_timeout_seconds"),
        ("maximum_interval_days = 0", "maximum_interval_days"),
        ("leech_threshold = 0", "leech_threshold"),
        ("weekly_target_hours = -3", "weekly_target_hours"),
        ("weekly_target_hours = 0", "weekly_target_hours"),
        ("new_cards_per_day = -1", "new_cards_per_day"),
        ("reviews_per_day = -10", "reviews_per_day"),
        ("link_cache_hours = -1", "link_cache_hours"),
        ("learning_steps_minutes = [1, 0]", "learning_steps_minutes"),
        ("relearning_steps_minutes = [-10]", "relearning_steps_minutes"),
        ("learning_steps_minutes = [1, nan]", "learning_steps_minutes"),
    ],
)
def test_senseless_values_are_refused_naming_the_key(tmp_path: Path, line, key):
    (tmp_path / "config.toml").write_text(line + "\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(tmp_path)
    message = str(raised.value)
    assert f"'{key}'" in message and "\n" not in message


def test_float_settings_take_floats_and_empty_steps_are_allowed_as_in_anki(tmp_path: Path):
    (tmp_path / "config.toml").write_text(
        "weekly_target_hours = 7.5\nfocus_minutes = 0.5\nlink_timeout_seconds = 2.5\n"
        "desired_retention = 0.7\nnew_cards_per_day = 0\nlearning_steps_minutes = []\n"
    )
    settings = load_settings(tmp_path)
    assert settings.weekly_target_hours == 7.5
    assert settings.focus_minutes == 0.5
    assert settings.link_timeout_seconds == 2.5
    assert settings.desired_retention == 0.7
    assert settings.new_cards_per_day == 0
    assert settings.learning_steps_minutes == ()
    assert make_scheduler(settings).learning_steps == ()


def test_per_deck_limits_are_checked_and_errors_name_the_deck_key(tmp_path: Path):
    (tmp_path / "config.toml").write_text('[decks."ML::Math"]\nnew_cards_per_day = 5\n')
    assert load_settings(tmp_path).deck_limits == (("ML::Math", 5, None),)
    for text, words in [
        ('[decks."ml"]\nnew_cards_per_day = -1\n', "'decks.ml.new_cards_per_day'"),
        ('[decks."ml"]\nfocus_minutes = 5\n', "unknown setting 'decks.ml.focus_minutes'"),
        ('[decks."ml"]\nlearning_steps_minutes = [-1]\n', "'decks.ml.learning_steps_minutes'"),
        ('[decks."ml"]\nfsrs_parameters = [1, 2]\n', "'decks.ml.fsrs_parameters' should be"),
        ("decks = 3\n", "'decks' should be tables"),
        ("max_answer_seconds = 0\n", "'max_answer_seconds'"),
    ]:
        (tmp_path / "config.toml").write_text(text)
        with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
            load_settings(tmp_path)


def test_deck_options_schedule_a_deck_and_its_subdecks(tmp_path: Path):
    """Anki's deck options as per-deck settings: the nearest configured deck's apply."""
    (tmp_path / "config.toml").write_text(
        'desired_retention = 0.9\n[decks."DL"]\ndesired_retention = 0.85\n'
        'learning_steps_minutes = [2, 15]\n[decks."DL::Vision"]\nmaximum_interval_days = 365\n'
    )
    settings = load_settings(tmp_path)
    vision, dl, other = (deck_settings(settings, d) for d in ("DL::Vision::Conv", "DL", "Bio"))
    assert (vision.maximum_interval_days, vision.desired_retention) == (365, 0.9)
    assert (dl.desired_retention, dl.learning_steps_minutes) == (0.85, (2.0, 15.0))
    assert other == settings


def test_config_toml_wins_over_imported_deck_options_key_by_key(tmp_path: Path):
    (tmp_path / "deck-options.toml").write_text(
        '[decks."Bio"]\nnew_cards_per_day = 1\ndesired_retention = 0.88\nleech_threshold = 6\n'
    )
    (tmp_path / "config.toml").write_text('[decks."Bio"]\nnew_cards_per_day = 10\n')
    settings = load_settings(tmp_path)
    assert settings.deck_limits == (("Bio", 10, None),)
    bio = deck_settings(settings, "Bio")
    assert (bio.desired_retention, bio.leech_threshold) == (0.88, 6)
    (tmp_path / "deck-options.toml").write_text('[decks."Bio"]\nleech_threshold = 0\n')
    with pytest.raises(ConfigError, match="deck-options.toml: 'decks.Bio.leech_threshold'"):
        load_settings(tmp_path)


def test_review_order_load_balancing_and_easy_days_are_read(tmp_path: Path):
    (tmp_path / "config.toml").write_text(
        "review_order = 'retrievability'\nload_balancing = false\n"
        "easy_days = [100, 100, 100, 100, 100, 50, 0]\n"
    )
    settings = load_settings(tmp_path)
    assert settings.review_order == "retrievability" and settings.load_balancing is False
    assert settings.easy_days == (100, 100, 100, 100, 100, 50, 0)


def test_a_hundred_thousand_learning_steps_are_refused_in_one_line(tmp_path: Path):
    """#28: they were taken as they were, a schedule no learner means."""
    steps = ", ".join(["1"] * 100_000)
    (tmp_path / "config.toml").write_text(f"learning_steps_minutes = [{steps}]\n")
    with pytest.raises(ConfigError, match="should be at most 100 steps, got 100,000"):
        load_settings(tmp_path)
    (tmp_path / "config.toml").write_text(f'[decks."ML"]\nrelearning_steps_minutes = [{steps}]\n')
    with pytest.raises(ConfigError, match="decks.ML.relearning_steps_minutes' should be at most"):
        load_settings(tmp_path)


def test_a_deck_table_that_names_no_deck_is_told_in_one_line(tmp_path: Path):
    """#28: a [decks."NAME"] table for a deck that does not exist was taken in silence."""
    from companion.content.loader import load_library
    from companion.services.study_session import deck_setting_problems

    (tmp_path / "decks" / "ML").mkdir(parents=True)
    (tmp_path / "decks" / "ML" / "Math.md").write_text("Q: Two?\nA: 2.\n")
    (tmp_path / "config.toml").write_text(
        '[decks."ML"]\nnew_cards_per_day = 5\n[decks."ML::Math"]\nreviews_per_day = 9\n'
        '[decks."ML::Mth"]\nnew_cards_per_day = 3\n'
    )
    problems = deck_setting_problems(load_library([tmp_path]), load_settings(tmp_path))
    assert problems == ['settings: [decks."ML::Mth"] names no deck; its settings apply to no card']


@pytest.mark.parametrize("name", ["config.toml", "deck-options.toml"])
@pytest.mark.parametrize(
    "text",
    ["x = " + "[" * 2000 + "]" * 2000, "x = " + "{a = " * 2000 + "1" + "}" * 2000],
    ids=["2,000 nested arrays", "2,000 nested inline tables"],
)
def test_a_settings_file_nested_thousands_deep_is_one_line(tmp_path: Path, name, text):
    """#28: a RecursionError's traceback before."""
    (tmp_path / name).write_text(text + "\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(tmp_path)
    assert str(raised.value) == f"{tmp_path / name}: nested too deeply to be a settings file"
