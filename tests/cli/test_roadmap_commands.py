"""`companion roadmap add|list|remove|update` on files and on a URL served on 127.0.0.1."""

import http.server
import json
import threading
from pathlib import Path

import pytest

from companion.cli.main import main
from companion.content.loader import load_library
from companion.store import open_store

PLAN = """\
# Linear algebra plan

## Vectors [2 weeks]

- Watch [the videos](videos/eola.html)
- Span and basis
- Exercises 1-10

## Matrices [3 weeks]

- [x] Matrix multiplication
- Determinants
- Eigenvalues and eigenvectors
"""


@pytest.fixture
def served(tmp_path: Path):
    """A real HTTP server on 127.0.0.1 serving a folder; yields (folder, base URL)."""
    folder = tmp_path / "site"
    folder.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args):  # noqa: ANN002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def states_by_text(data_dir: Path) -> dict[str, str]:
    library = load_library([data_dir])
    store = open_store(data_dir, read_only=True)
    states = store.item_states()
    store.close()
    return {
        i.text: states.get(i.id, "done" if i.checked else "todo")
        for r in library.roadmaps
        for i in r.items
    }


def set_state(data_dir: Path, text: str, state: str) -> None:
    from datetime import UTC, datetime

    library = load_library([data_dir])
    store = open_store(data_dir)
    roadmap = library.roadmaps[0]
    item = next(i for i in roadmap.items if i.text == text)
    store.set_item_state(
        roadmap.id, item.id, state, datetime.now(UTC), item.text, roadmap.phase_of(item).title
    )
    store.close()


def test_add_from_a_url_resolves_relative_links_and_lists(served, tmp_path: Path, capsys):
    folder, base = served
    (folder / "plan.md").write_text(PLAN)
    data_dir = tmp_path / "data"
    assert run(data_dir, "roadmap", "add", base + "plan.md") == 0
    out = capsys.readouterr().out
    assert "Imported 'Linear algebra plan' as linear-algebra-plan: 2 phases, 6 items" in out
    assert "1 items ticked [x] in the file start as done." in out
    roadmap = load_library([data_dir]).roadmaps[0]
    assert roadmap.items[0].resources[0].url == base + "videos/eola.html"
    assert run(data_dir, "roadmap", "list") == 0
    listing = capsys.readouterr().out
    assert "linear-algebra-plan" in listing and "17%  1/6 (5 left)" in listing
    assert f"[{base}plan.md]" in listing
    assert run(data_dir, "roadmap", "add", base + "plan.md") == 2  # the id is taken
    assert "exists" in capsys.readouterr().err


def test_update_keeps_progress_through_reorder_additions_removals_and_small_fixes(
    served, tmp_path: Path, capsys
):
    folder, base = served
    (folder / "plan.md").write_text(PLAN)
    data_dir = tmp_path / "data"
    run(data_dir, "roadmap", "add", base + "plan.md")
    set_state(data_dir, "Span and basis", "done")
    set_state(data_dir, "Exercises 1-10", "doing")
    set_state(data_dir, "Determinants", "skipped")
    set_state(data_dir, "Eigenvalues and eigenvectors", "done")
    edited = (
        PLAN.replace("- Span and basis\n- Exercises 1-10\n", "- Exercises 1-10\n- Span and basis\n")
        .replace("- Determinants\n", "- Determinants\n- Singular value decomposition\n")
        .replace("- Eigenvalues and eigenvectors", "- Eigenvalues and eigen-vectors")
        .replace("- Watch [the videos](videos/eola.html)\n", "")
    )  # reordered, added, small fix, removed
    (folder / "plan.md").write_text(edited)
    assert run(data_dir, "roadmap", "update", "linear-algebra-plan") == 0
    assert "Progress: 1 edited items re-linked" in capsys.readouterr().out
    assert states_by_text(data_dir) == {
        "Exercises 1-10": "doing",
        "Span and basis": "done",
        "Matrix multiplication": "done",
        "Determinants": "skipped",
        "Singular value decomposition": "todo",
        "Eigenvalues and eigen-vectors": "done",
    }


def test_remove_keeps_progress_unless_purged(tmp_path: Path, capsys):
    source = tmp_path / "plan.md"
    source.write_text(PLAN)
    data_dir = tmp_path / "data"
    run(data_dir, "roadmap", "add", str(source), "--id", "la")
    set_state(data_dir, "Determinants", "done")
    assert run(data_dir, "roadmap", "remove", "la") == 0
    assert "Its progress is kept" in capsys.readouterr().out
    run(data_dir, "roadmap", "add", str(source), "--id", "la")
    assert states_by_text(data_dir)["Determinants"] == "done"
    assert run(data_dir, "roadmap", "remove", "la", "--purge") == 0
    run(data_dir, "roadmap", "add", str(source), "--id", "la")
    assert states_by_text(data_dir)["Determinants"] == "todo"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"", "empty"),
        (b"# Caf\xe9\n\n- item\n", "not UTF-8"),
        (b"Just a paragraph, nothing to study.\n", "no list items"),
    ],
)
def test_unusable_files_are_one_line_errors_with_exit_2(tmp_path: Path, capsys, content, words):
    source = tmp_path / "bad.md"
    source.write_bytes(content)
    assert run(tmp_path / "data", "roadmap", "add", str(source)) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and str(source) in err


def test_a_50_mb_file_is_refused(tmp_path: Path, capsys):
    source = tmp_path / "huge.md"
    with source.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert run(tmp_path / "data", "roadmap", "add", str(source)) == 2
    err = capsys.readouterr().err
    assert "too large" in err and err.count("\n") == 1


def test_a_missing_url_is_a_one_line_error(served, tmp_path: Path, capsys):
    _, base = served
    assert run(tmp_path / "data", "roadmap", "add", base + "missing.md") == 2
    assert "HTTP 404" in capsys.readouterr().err


def test_stats_after_import_counts_the_new_roadmap(tmp_path: Path, capsys):
    source = tmp_path / "plan.md"
    source.write_text(PLAN)
    data_dir = tmp_path / "data"
    run(data_dir, "roadmap", "add", str(source))
    capsys.readouterr()
    run(data_dir, "stats", "--json")
    ids = [r["id"] for r in json.loads(capsys.readouterr().out)["roadmaps"]]
    assert "linear-algebra-plan" in ids


def test_show_prints_the_tree_and_set_sets_a_state_refused_while_the_app_holds_the_lock(
    tmp_path: Path, capsys
):
    import json

    from companion.store.lock import DataDirLock

    source = tmp_path / "plan.md"
    source.write_text(PLAN)
    data_dir = tmp_path / "data"
    assert run(data_dir, "roadmap", "add", str(source)) == 0
    capsys.readouterr()
    assert run(data_dir, "roadmap", "show", "linear-algebra-plan", "--json") == 0
    tree = json.loads(capsys.readouterr().out)
    items = [item for phase in tree["phases"] for item in phase["items"]]
    assert len(items) == 6 and {"id", "text", "state", "estimate_hours", "resources"} <= set(
        items[0]
    )
    target = next(item for item in items if item["state"] == "todo")
    assert run(data_dir, "roadmap", "set", target["id"], "doing") == 0
    assert "is now doing" in capsys.readouterr().out
    run(data_dir, "roadmap", "show", "linear-algebra-plan")
    text = capsys.readouterr().out
    assert f"◐ {target['text']}" in text and f"[{target['id']}]" in text
    lock = DataDirLock(data_dir)
    lock.acquire()  # the app is open
    try:
        assert run(data_dir, "roadmap", "show", "linear-algebra-plan") == 0  # reading is fine
        capsys.readouterr()
        assert run(data_dir, "roadmap", "set", target["id"], "done") == 2
        error = capsys.readouterr().err
        assert error.startswith("companion: error: ") and error.count("\n") == 1
    finally:
        lock.release()


def test_export_writes_progress_as_boxes_for_a_fork(tmp_path: Path, capsys):
    source = tmp_path / "checklist.md"
    source.write_text(
        "# Prep\n\n## Data structures\n\n- [ ] Arrays\n- [x] Linked lists\n- [-] Skip lists\n"
        "- [ ] Hash tables\n\n## Reading\n\n1. Read the book\n"
    )
    data_dir = tmp_path / "data"
    assert run(data_dir, "roadmap", "add", str(source), "--id", "prep", "--all-items") == 0
    set_state(data_dir, "Arrays", "done")
    set_state(data_dir, "Linked lists", "doing")  # the learner's state wins over the file's [x]
    set_state(data_dir, "Skip lists", "skipped")
    set_state(data_dir, "Read the book", "done")
    capsys.readouterr()
    out = tmp_path / "fork.md"
    assert run(data_dir, "roadmap", "export", "prep", "-o", str(out)) == 0
    assert "2 of 5 items ticked" in capsys.readouterr().out
    assert out.read_text() == (
        "# Prep\n\n## Data structures\n\n- [x] Arrays\n- [ ] Linked lists\n- [-] Skip lists\n"
        "- [ ] Hash tables\n\n## Reading\n\n1. [x] Read the book\n"
    )  # companion's own front matter (origin, id, ...) is left out


def test_a_folder_of_topic_files_imports_as_one_roadmap(tmp_path: Path, capsys):
    content = tmp_path / "backend" / "content"
    (content / "100-internet").mkdir(parents=True)
    (content / "101-basics").mkdir()
    (content / "100-internet" / "102-dns@Xy12ab.md").write_text(
        "# What is DNS?\n\nNames to addresses.\n\n"
        "- [@article@How DNS works](https://dns.example/how)\n"
        "- [@video@DNS in 100 seconds](https://videos.example/dns)\n"
    )
    (content / "100-internet" / "101-how-it-works@Ab34cd.md").write_text(
        "# How does the internet work?\n\n- [@article@The internet, explained](https://net.example)\n"
    )
    (content / "101-basics" / "tls.md").write_text(
        "No heading here, only [a link](https://tls.example).\n"
    )
    data_dir = tmp_path / "data"
    assert run(data_dir, "roadmap", "add", str(content), "--id", "backend") == 0
    assert "2 phases, 3 items, 4 links" in capsys.readouterr().out
    roadmap = load_library([data_dir]).roadmaps[0]
    assert [p.title for p in roadmap.phases] == ["Internet", "Basics"]
    assert [i.text for i in roadmap.items] == ["How does the internet work?", "What is DNS?", "Tls"]
    dns = roadmap.items[1]
    assert [(r.title, r.kind) for r in dns.resources] == [
        ("How DNS works", "article"),
        ("DNS in 100 seconds", "video"),
    ]


def test_a_sections_own_links_are_shown_counted_and_watched(tmp_path: Path, capsys):
    from companion.ui.link_watch import roadmap_urls
    from tests.content.test_readme_shapes import COURSE_INDEX

    source = tmp_path / "courses.md"
    source.write_text(COURSE_INDEX)
    data_dir = tmp_path / "data"
    assert run(data_dir, "roadmap", "add", str(source)) == 0
    assert "4 items, 3 links" in capsys.readouterr().out
    assert run(data_dir, "roadmap", "show", "video-courses", "--json") == 0
    tree = json.loads(capsys.readouterr().out)
    assert [r["url"] for r in tree["phases"][0]["resources"]] == [
        "https://video.example/a", "https://a.example/"
    ]  # fmt: skip
    library = load_library([data_dir])  # through the parse cache, as a start-up reads it
    assert roadmap_urls(library.roadmaps) == [
        "https://video.example/a", "https://a.example/", "https://video.example/b"
    ]  # fmt: skip
