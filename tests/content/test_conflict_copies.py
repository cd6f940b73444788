"""A sync engine's conflict copies of decks, roadmaps and settings (Syncthing's, Dropbox's,
Nextcloud's names) are kept and told in one line each, and never read as decks or roadmaps of
their own: their cards and items would come twice."""

from pathlib import Path

import pytest

from companion.paths import ensure_data_dir
from companion.services.content_sources import load_content
from companion.sync_copies import original_of


@pytest.mark.parametrize(
    ("name", "original"),
    [
        ("words.sync-conflict-20260302-101500-ABCDEFG.md", "words.md"),
        ("events.sync-conflict-20260302-101500-ABCDEFG.jsonl", "events.jsonl"),
        ("plan (Desktop's conflicted copy 2026-03-02).md", "plan.md"),
        ("config (conflicted copy 2026-03-02 101500).toml", "config.toml"),
        ("words.md", None),
        ("my conflicted thoughts.md", None),
        ("notes.sync-conflict.md", None),
    ],
)
def test_conflict_copy_names(name, original):
    assert original_of(name) == original


def test_conflict_copies_are_told_and_not_read(tmp_path: Path):
    data_dir = ensure_data_dir(tmp_path / "data")
    decks, roadmaps = data_dir / "decks", data_dir / "roadmaps"
    roadmaps.mkdir(exist_ok=True)
    (decks / "words.md").write_text("One? :: 1.\nTwo? :: 2.\n")
    (decks / "words.sync-conflict-20260302-101500-ABCDEFG.md").write_text(
        "One? :: 1.\nTwo? :: 2.\nThree? :: 3.\n"
    )
    (roadmaps / "plan.md").write_text("# Plan\n\n## Basics\n\n- Read the paper\n")
    (roadmaps / "plan (Desktop's conflicted copy 2026-03-02).md").write_text(
        "# Plan\n\n## Basics\n\n- Read the paper\n- Write the code\n"
    )
    (data_dir / "config (conflicted copy 2026-03-02 101500).toml").write_text(
        "desired_retention = 0.8\n"
    )
    library = load_content(data_dir)
    own = [r for r in library.roadmaps if r.source and "roadmaps/plan" in r.source]
    assert len(own) == 1 and [i.text for i in own[0].items] == ["Read the paper"]
    mine = library.cards.ids_in(str(decks / "words.md"))
    assert len(mine) == 2
    assert not any("sync-conflict" in source for source in library.cards.sources())
    told = [p for p in library.problems if "conflict copy" in p]
    assert len(told) == 3
    assert all("\n" not in line and "not read" in line for line in told)
    assert any("config.toml" in line for line in told)
