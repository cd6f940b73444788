"""Progress, notes and logged time follow their roadmap item through the edits a real upstream
makes: duplicates inserted or deleted, headings renamed, items moved or re-worded. What cannot
be placed is kept and said, and comes back with its item or with `roadmap attach`."""

from datetime import UTC, datetime
from pathlib import Path

from companion.cli.main import main
from companion.content.loader import load_library
from companion.content.roadmap_parser import parse_roadmap
from companion.services.progress_sync import record_state, sync_progress
from companion.store import open_store
from companion.store.notes import read_note, write_note

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)

LECTURES = "# Zero to hero\n\n## Lectures\n\n" + "".join(
    f"- [YouTube video lecture](https://youtube.example/{n})\n" for n in range(1, 9)
)


def load(data_dir: Path):
    return load_library([data_dir])


def write(data_dir: Path, text: str) -> None:
    (data_dir / "roadmaps").mkdir(parents=True, exist_ok=True)
    (data_dir / "roadmaps" / "plan.md").write_text(text)


def tick(data_dir: Path, choose, state: str = "done") -> str:
    """Set a state on the item `choose` picks, as the app does; return the item id."""
    roadmap = load(data_dir).roadmaps[0]
    item = next(i for i in roadmap.items if choose(i))
    store = open_store(data_dir)
    record_state(store, roadmap, item, state, NOW)
    store.close()
    return item.id


def synced_states(data_dir: Path):
    """Sync as a start does; the states by (text, first link) and what was said."""
    library = load(data_dir)
    store = open_store(data_dir)
    result = sync_progress(library, store)
    states = store.item_states()
    store.close()
    by_item = {
        (i.text, i.resources[0].url if i.resources else ""): states[i.id]
        for r in library.roadmaps
        for i in r.items
        if i.id in states
    }
    return by_item, result


def url(n: int):
    return lambda item: bool(item.resources) and item.resources[0].url.endswith(f"/{n}")


def test_ticks_on_repeated_texts_follow_their_links_when_an_earlier_one_is_deleted(tmp_path):
    data_dir = tmp_path / "data"
    write(data_dir, LECTURES)
    tick(data_dir, url(3))
    tick(data_dir, url(5), "doing")
    write(
        data_dir,
        LECTURES.replace("- [YouTube video lecture](https://youtube.example/1)\n", ""),
    )
    states, result = synced_states(data_dir)
    assert states == {
        ("YouTube video lecture", "https://youtube.example/3"): "done",
        ("YouTube video lecture", "https://youtube.example/5"): "doing",
    }  # the old ids shifted onto lectures 4 and 6: ticks used to move with them
    assert result.unplaced == []
    inserted = LECTURES.replace(
        "## Lectures\n\n",
        "## Lectures\n\n- [YouTube video lecture](https://youtube.example/0)\n",
    )
    write(data_dir, inserted)
    states, _ = synced_states(data_dir)
    assert states == {
        ("YouTube video lecture", "https://youtube.example/3"): "done",
        ("YouTube video lecture", "https://youtube.example/5"): "doing",
    }


def test_repeated_texts_without_links_follow_their_neighbours(tmp_path):
    data_dir = tmp_path / "data"
    plan = (
        "# Plan\n\n## Part\n\n- Intro\n- Exercises\n- Backprop\n- Exercises\n- CNNs\n- Exercises\n"
    )
    write(data_dir, plan)
    roadmap = load(data_dir).roadmaps[0]
    second = [i for i in roadmap.items if i.text == "Exercises"][1]
    tick(data_dir, lambda i: i.id == second.id)
    write(data_dir, plan.replace("- Intro\n- Exercises\n", ""))
    roadmap = load(data_dir).roadmaps[0]
    store = open_store(data_dir)
    sync_progress(load(data_dir), store)
    states = store.item_states()
    store.close()
    exercises = [i for i in roadmap.items if i.text == "Exercises"]
    assert [states.get(i.id, "todo") for i in exercises] == ["done", "todo"]  # after Backprop


def test_a_renamed_heading_a_moved_item_and_a_reworded_title_keep_their_ticks(tmp_path):
    data_dir = tmp_path / "data"
    plan = (
        "# Plan\n\n## Core math\n\n- Linear algebra\n- Calculus\n- Probability\n\n"
        "## Data structures\n\n- [Arrays (video)](https://courses.example/arrays)\n- Hash tables\n"
        "- Stacks (notes)\n- Queues\n"
    )
    write(data_dir, plan)
    for text in ("Linear algebra", "Probability", "Arrays (video)", "Stacks (notes)"):
        tick(data_dir, lambda i, t=text: i.text == t)
    edited = (
        plan.replace("## Core math", "## Core mathematics")
        .replace("- Probability\n", "")
        .replace("- Hash tables\n", "- Hash tables\n- Probability\n")  # moved to another phase
        .replace("Arrays (video)", "Arrays (video, Coursera)")  # same link
        .replace("Stacks (notes)", "Stacks (lecture notes)")  # same neighbours
    )
    write(data_dir, edited)
    states, result = synced_states(data_dir)
    assert states == {
        ("Linear algebra", ""): "done",
        ("Probability", ""): "done",
        ("Arrays (video, Coursera)", "https://courses.example/arrays"): "done",
        ("Stacks (lecture notes)", ""): "done",
    }
    assert len(result.relinked) == 4 and result.unplaced == []


def test_notes_and_logged_time_follow_the_item(tmp_path):
    data_dir = tmp_path / "data"
    plan = "# Plan\n\n## Core math\n\n- Linear algebra\n- Calculus\n"
    write(data_dir, plan)
    item_id = tick(data_dir, lambda i: i.text == "Calculus", "doing")
    write_note(data_dir, item_id, "Chain rule first.")
    (data_dir / "decks").mkdir(exist_ok=True)
    (data_dir / "decks" / "calculus.md").write_text(
        f"# Calculus\n\n<!-- item: {item_id} -->\nQ: What is the chain rule for?\n"
        "A: Derivatives of compositions.\n"
    )
    store = open_store(data_dir)
    store.log_block(
        {"phase": "focus", "item_id": item_id, "started_at": NOW.timestamp() - 1500,
         "ended_at": NOW.timestamp(), "planned_minutes": 25.0, "minutes": 25.0,
         "outcome": "completed"}
    )  # fmt: skip
    store.close()
    write(data_dir, plan.replace("## Core math", "## Core mathematics"))
    states, _ = synced_states(data_dir)
    new_id = load(data_dir).roadmaps[0].items[1].id
    assert new_id != item_id and states == {("Calculus", ""): "doing"}
    assert read_note(data_dir, new_id) == "Chain rule first.\n"
    assert read_note(data_dir, item_id) == ""
    store = open_store(data_dir, read_only=True)
    assert [b["item_id"] for b in store.study_blocks()] == [new_id]
    store.close()
    deck = (data_dir / "decks" / "calculus.md").read_text()
    assert f"<!-- item: {new_id} -->\nQ: What is the chain rule for?" in deck
    assert library_card_items(data_dir) == {new_id}


def library_card_items(data_dir: Path) -> set:
    library = load(data_dir)
    return {library.cards.get(card_id).item_id for card_id in library.cards}


def test_progress_that_cannot_be_placed_is_kept_said_and_attached_back(tmp_path, capsys):
    data_dir = tmp_path / "data"
    plan = "# Plan\n\n## Basics\n\n- Read the paper on attention\n- Implement a transformer\n"
    write(data_dir, plan)
    tick(data_dir, lambda i: i.text == "Read the paper on attention")
    write(data_dir, plan.replace("- Read the paper on attention\n", ""))
    states, result = synced_states(data_dir)
    assert states == {}  # nothing lands on the other item
    assert len(result.unplaced) == 1
    line = result.unplaced[0]
    assert line.startswith("'Read the paper on attention' (done) is no longer in 'Plan'")
    assert main(["--data-dir", str(data_dir), "roadmap", "attach"]) == 0
    listing = capsys.readouterr().out
    assert "done" in listing and "'Read the paper on attention'" in listing
    kept_id = listing.split()[0]
    # The item comes back (the edit reverted): the progress is placed again by itself.
    write(data_dir, plan)
    states, result = synced_states(data_dir)
    assert states == {("Read the paper on attention", ""): "done"} and result.unplaced == []
    # Gone again, then re-attached by hand to a re-worded item.
    write(data_dir, plan.replace("Read the paper on attention", "Study attention"))
    states, result = synced_states(data_dir)
    assert states == {} and len(result.unplaced) == 1
    main(["--data-dir", str(data_dir), "roadmap", "attach"])
    kept_id = capsys.readouterr().out.split()[0]
    assert main(["--data-dir", str(data_dir), "roadmap", "attach", kept_id, "study att"]) == 0
    assert "is now on 'Study attention'" in capsys.readouterr().out
    states, result = synced_states(data_dir)
    assert states == {("Study attention", ""): "done"} and result.unplaced == []


async def test_the_app_says_what_it_kept_and_a_puts_it_back(make_app, data_dir: Path):
    from companion.ui.panes.roadmap import RoadmapPane, RoadmapTree

    from ..ui.helpers import screen_text

    plan = "# Plan\n\n## Basics\n\n- Read the paper on attention\n- Implement a transformer\n"
    write(data_dir, plan)
    tick(data_dir, lambda i: i.text == "Read the paper on attention")
    write(data_dir, plan.replace("Read the paper on attention", "Study attention"))
    app = make_app(pane="roadmap", bundled=False)  # the learner has studied: Today otherwise
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        said = " ".join(n.message for n in app._notifications)
        assert "'Read the paper on attention' (done) is no longer in 'Plan'" in said
        text = screen_text(app)
        assert "No longer in the roadmap: 1 kept" in text and "Read the paper on attention" in text
        pane = app.screen.query_one(RoadmapPane)
        tree = pane.query_one(RoadmapTree)
        kept = next(
            node
            for node in tree.root.children[-1].children
            if node.data is not None and node.data.kind == "kept"
        )
        tree.move_cursor(kept)
        await pilot.press("a")
        target = app.library.roadmaps[0].items[0]
        pane.select_item(target.id)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert pane.states[target.id] == "done"
        assert "No longer in the roadmap" not in screen_text(app)
    store = open_store(data_dir, read_only=True)
    assert store.item_states() == {target.id: "done"}
    store.close()


async def test_time_logged_to_an_item_with_no_state_follows_it(make_app, data_dir, clock):
    from companion.ui.panes.roadmap import RoadmapPane

    plan = "# Plan\n\n## Core math\n\n- Linear algebra\n- Calculus\n"
    write(data_dir, plan)
    app = make_app(bundled=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        calculus = app.library.roadmaps[0].items[1]
        app.screen.query_one(RoadmapPane).select_item(calculus.id)
        await pilot.pause()
        await pilot.press("p")
        clock.advance(minutes=25)
        app.tick()
        await pilot.press("escape")  # no note on the block
    app.store.close()  # the app quits
    write(data_dir, plan.replace("## Core math", "## Core mathematics"))
    states, result = synced_states(data_dir)
    new_id = load(data_dir).roadmaps[0].items[1].id
    assert new_id != calculus.id and result.relinked == [(calculus.id, new_id)]
    store = open_store(data_dir, read_only=True)
    assert [b["item_id"] for b in store.study_blocks() if b["phase"] == "focus"] == [new_id]
    store.close()


def test_a_course_whose_link_upstream_replaced_keeps_its_tick(tmp_path):
    """As OSSU's "Update edx links" (721baae): the same names in the same section, new links;
    before, the ticks were set aside as no longer in the roadmap."""
    data_dir = tmp_path / "data"
    plan = (
        "# Plan\n\n## Core theory\n\n"
        "- [Compilers](https://www.edx.org/course/compilers)\n"
        "- [Machine Learning](https://www.coursera.org/learn/machine-learning)\n"
        "- [Object-Oriented Design](https://www.coursera.org/learn/object-oriented-design)\n"
    )
    write(data_dir, plan)
    tick(data_dir, lambda i: i.text == "Compilers")
    tick(data_dir, lambda i: i.text == "Object-Oriented Design", "doing")
    write(data_dir, plan.replace("https://www.edx.org/course/compilers",
                                 "https://www.edx.org/learn/compilers/stanford-compilers")
          .replace("object-oriented-design", "object-oriented-design-v2"))  # fmt: skip
    states, result = synced_states(data_dir)
    assert states == {
        ("Compilers", "https://www.edx.org/learn/compilers/stanford-compilers"): "done",
        ("Object-Oriented Design", "https://www.coursera.org/learn/object-oriented-design-v2"):
            "doing",
    }  # fmt: skip
    assert result.unplaced == []


UPSTREAM = Path(__file__).parent / "fixtures" / "upstream"


def test_a_link_a_boxless_bullet_hands_to_the_box_above_does_not_carry_a_tick(tmp_path, capsys):
    """coding-interview-university f49bc34 -> 678aaaf (an excerpt): "Handy reference" lost its
    box, so its link went to "Book: Head First Design Patterns" above it, and the tick of
    "Handy reference" went with it. Now it is kept aside and said; Head First keeps its own."""
    data_dir = tmp_path / "data"
    source = tmp_path / "README.md"
    source.write_text((UPSTREAM / "ciu-design-patterns-f49bc34.md").read_text())
    assert main(["--data-dir", str(data_dir), "roadmap", "add", str(source)]) == 0
    tick(data_dir, lambda i: i.text.startswith("Handy reference"))
    tick(data_dir, lambda i: i.text.startswith("Series of videos"), "doing")
    source.write_text((UPSTREAM / "ciu-design-patterns-678aaaf.md").read_text())
    capsys.readouterr()
    roadmap_id = load(data_dir).roadmaps[0].id
    assert main(["--data-dir", str(data_dir), "roadmap", "update", roadmap_id]) == 0
    said = capsys.readouterr().out
    states, _ = synced_states(data_dir)
    assert states == {
        ("Series of videos (27 videos)", "https://www.youtube.com/playlist?list=PLF206E906175C7E07"):
            "doing",
    }  # fmt: skip
    assert (
        "'Handy reference: 101 Design Patterns & Tips for Developers' (done) is no longer" in said
    )


def test_ticks_stay_when_upstream_removes_a_sections_boxes(tmp_path, capsys):
    """#27 point 3, coding-interview-university 18d5824 -> fb4c887 (an excerpt): the boxes of
    k-D Trees, Skip lists and Treap were removed (in the whole file 251 boxes, 111 ticks
    stranded). A section with bullets and no box, once the checklist has begun, is a list of
    items: every tick stays, on the same bullet."""
    data_dir = tmp_path / "data"
    source = tmp_path / "README.md"
    source.write_text((UPSTREAM / "ciu-additional-18d5824.md").read_text())
    assert main(["--data-dir", str(data_dir), "roadmap", "add", str(source)]) == 0
    before = load(data_dir).roadmaps[0]
    assert before.counting == "boxes"
    for item in before.items:
        tick(data_dir, lambda i, item=item: i.id == item.id)
    ticked = {(i.text, i.resources[0].url if i.resources else "") for i in before.items}
    source.write_text((UPSTREAM / "ciu-additional-fb4c887.md").read_text())
    assert main(["--data-dir", str(data_dir), "roadmap", "update", before.id]) == 0
    said = capsys.readouterr().out
    after = load(data_dir).roadmaps[0]
    assert after.counting == "boxes"
    boxless = {p.title: [i.text for i in p.items] for p in after.phases[-3:]}
    assert boxless == {
        "k-D Trees": [
            "great for finding number of points in a rectangle or higher dimension object",
                      "a good fit for k-nearest neighbors", "Kd Trees (video)",
                      "kNN K-d tree algorithm (video)"],
        "Skip lists": ['"These are somewhat of a cult data structure" - Skiena',
                       "Randomization: Skip Lists (video)",
                       "For animations and a little more detail"],
        "Treap": ["Combination of a binary search tree and a heap", "Treap",
                  "Data Structures: Treaps explained (video)", "Applications in set operations"],
    }  # fmt: skip
    states, _ = synced_states(data_dir)
    # every tick on a bullet still in the file is kept, on that bullet: only "round to next
    # power of 2", which upstream deleted, is gone, and said
    gone = (
        "round to next power of 2:",
        "https://bits.stephan-brumme.com/roundUpToNextPowerOfTwo.html",
    )
    assert set(states) == ticked - {gone} and set(states.values()) == {"done"}
    assert "'round to next power of 2:' (done) is no longer" in said


def test_a_section_with_hardly_any_box_is_a_list_and_a_bare_link_belongs_to_its_title():
    """coding-interview-university fb4c887: "Additional Detail on Some Subjects" kept 6 boxes
    of 70 bullets, and its Papers read "- 2012: AddressSanitizer: ...:" over "- [paper](...)"."""
    text = (
        "# Prep\n\n## Intro\n\nWhy this plan.\n\n[Read the story](https://story.example/)\n\n"
        "## Core\n\n"
        + "".join(f"- [ ] Topic {n}\n" for n in range(9))
        + "\n## Details\n\n- [ ] Left boxed\n"
        + "".join(f"- Detail {n}\n" for n in range(5))
        + "\n## Papers\n\n- 2012: AddressSanitizer: A Fast Address Sanity Checker:\n"
        "    - [paper](https://papers.example/asan.pdf)\n"
    )
    roadmap = parse_roadmap(text, "prep")
    assert roadmap.counting == "boxes"
    # an introduction's link, before the checklist begins, is prose to read
    assert "[Read the story](https://story.example/)" in roadmap.notes
    details, papers = roadmap.phases[-2:]
    assert [i.text for i in details.items] == ["Left boxed", *(f"Detail {n}" for n in range(5))]
    assert [(i.text, [r.url for r in i.resources]) for i in papers.items] == [
        ("2012: AddressSanitizer: A Fast Address Sanity Checker:",
         ["https://papers.example/asan.pdf"]),
    ]  # fmt: skip


def test_a_topic_rewritten_without_its_links_does_not_keep_the_tick(tmp_path):
    """llm-course e472998 -> 1dfcf2e: "Task-specific benchmarks" and its links became
    "Automated benchmarks" with none, between the same neighbours: another topic."""
    data_dir = tmp_path / "data"
    plan = (
        "# LLM\n\n## Evaluation\n\n- Perplexity\n"
        "- [Task-specific benchmarks](https://pubmedqa.example/)\n"
        "- Human evaluation\n"
    )
    write(data_dir, plan)
    tick(data_dir, lambda i: i.text.startswith("Task-specific"))
    write(data_dir, plan.replace(
        "[Task-specific benchmarks](https://pubmedqa.example/)", "Automated benchmarks"
    ))  # fmt: skip
    states, said = synced_states(data_dir)
    assert states == {}
    assert any("Task-specific benchmarks" in line for line in said.unplaced)


def test_a_repeated_text_does_not_carry_a_tick_into_another_section(tmp_path):
    """ML-YouTube-Courses 7e8d2a4 -> fa7361f: a course was replaced by another one under a new
    heading; the tick of its "Gaussian Processes" must not go to the new course's lecture of
    the same name while other courses repeat it too. A lone "..." is no item at all."""
    data_dir = tmp_path / "data"
    plan = (
        "# Courses\n\n## Course A (Munich)\n\n- Trees\n- Gaussian Processes\n- ...\n\n"
        "## Course B\n\n- Kernels\n- Gaussian Processes\n"
    )
    write(data_dir, plan)
    assert [i.text for i in load(data_dir).roadmaps[0].items] == [
        "Trees", "Gaussian Processes", "Kernels", "Gaussian Processes"
    ]  # fmt: skip
    tick(data_dir, lambda i: i.text == "Gaussian Processes")
    replaced = plan.replace("## Course A (Munich)\n\n- Trees\n", "## Course C (Harmeling)\n\n"
                            "- Bayes rule\n")  # fmt: skip
    write(data_dir, replaced)
    states, said = synced_states(data_dir)
    assert states == {}
    assert any("'Gaussian Processes' (done) is no longer" in line for line in said.unplaced)


def test_a_boxless_sections_label_bullets_group_their_children():
    text = (
        "# Prep\n\n## Core\n\n"
        + "".join(f"- [ ] Topic {n}\n" for n in range(4))
        + "\n## Extra\n\n- Videos:\n    - [Intro (video)](https://v.example/1)\n"
        "    - Implement:\n        - insert\n- [Notes](https://n.example/)\n"
        "- Remember: it is optional.\n"
    )
    roadmap = parse_roadmap(text, "prep")
    extra = roadmap.phases[-1]
    assert [(i.text, i.depth) for i in extra.items] == [
        ("Intro (video)", 0), ("insert", 0), ("Notes", 0), ("Remember: it is optional.", 0)
    ]  # fmt: skip
    assert all(i.parent_id is None for i in extra.items)


def test_a_tick_moves_to_another_section_only_for_a_near_identical_text_and_is_said(
    tmp_path, capsys
):
    """#27: "MIT (video)" under one heading is not "MIT(videos):" under another. A tick goes to
    another section only when nothing in its own matches and the texts are near-identical,
    and the move is said by name; `roadmap attach` moves it on."""
    data_dir = tmp_path / "data"
    plan = (
        "# Plan\n\n## Binary search trees\n\n- MIT (video)\n- Implement insert\n\n"
        "## Graphs\n\n- Breadth-first search\n\n## Heaps\n\n- Heap sort\n"
    )
    write(data_dir, plan)
    tick(data_dir, lambda i: i.text == "MIT (video)")
    tick(data_dir, lambda i: i.text == "Heap sort")
    edited = (
        plan.replace("- MIT (video)\n", "")
        .replace("- Breadth-first search\n", "- Breadth-first search\n- MIT(videos):\n")
        .replace(
            "## Heaps\n\n- Heap sort\n", "## Heaps\n\n- Heap intro\n\n## Sorting\n\n- Heap sort\n"
        )
    )
    write(data_dir, edited)
    states, result = synced_states(data_dir)
    assert states == {("Heap sort", ""): "done"}  # moved whole, near-identical: followed
    assert result.moved == [
        "'Heap sort' (done) moved from 'Heaps' to 'Sorting' in 'Plan' (companion roadmap "
        f"attach {load(data_dir).roadmaps[0].items[-1].id} ITEM moves it)"
    ]
    assert (
        len(result.unplaced) == 1 and "'MIT (video)' (done) is no longer in" in result.unplaced[0]
    )
    heap_sort = load(data_dir).roadmaps[0].items[-1].id
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "roadmap", "attach", heap_sort, "Heap intro"]) == 0
    states, result = synced_states(data_dir)
    assert states == {("Heap intro", ""): "done"} and result.moved == []


def test_the_parse_an_update_keeps_for_the_next_load_is_the_file_s_own(tmp_path, capsys):
    """`roadmap update` keeps its parse in the cache (one parse instead of two): it is the
    roadmap that parsing the written file gives."""
    from companion.content.loader import load_roadmap
    from companion.store.content_cache import RoadmapCache

    data_dir = tmp_path / "data"
    source = tmp_path / "README.md"
    source.write_text((UPSTREAM / "ciu-design-patterns-f49bc34.md").read_text())
    assert main(["--data-dir", str(data_dir), "roadmap", "add", str(source)]) == 0
    source.write_text((UPSTREAM / "ciu-design-patterns-678aaaf.md").read_text())
    roadmap = load(data_dir).roadmaps[0]
    assert main(["--data-dir", str(data_dir), "roadmap", "update", roadmap.id]) == 0
    path = Path(roadmap.source)
    cached = RoadmapCache(data_dir / "cache" / "roadmaps.packed").get(path)
    assert cached is not None and cached == load_roadmap(path)


def test_a_sync_of_what_a_sync_changed_nothing_in_is_skipped_and_an_edit_ends_that(
    tmp_path, monkeypatch
):
    """`roadmap set` syncs first; on a large roadmap it matched the progress kept aside against
    every item each time. The same file and progress as a sync that changed nothing are not
    matched again; any edit of either is."""
    import companion.services.progress_sync as progress_sync

    data_dir = tmp_path / "data"
    plan = "# Plan\n\n## Part\n\n- Topic one\n- Topic two\n- Topic three\n"
    write(data_dir, plan)
    tick(data_dir, lambda i: i.text == "Topic two")
    write(data_dir, plan.replace("- Topic two\n", ""))  # its tick goes aside
    states, said = synced_states(data_dir)
    assert states == {} and len(said.unplaced) == 1
    calls = []
    real = progress_sync.match
    monkeypatch.setattr(progress_sync, "match", lambda *a: calls.append(1) or real(*a))
    assert synced_states(data_dir)[0] == {}  # nothing to change: remembered as settled
    assert synced_states(data_dir)[0] == {} and len(calls) == 1  # the same again: skipped
    write(data_dir, plan)  # upstream puts it back
    assert synced_states(data_dir)[0] == {("Topic two", ""): "done"} and len(calls) == 2
