"""Items upstream merged into one, split into several, moved or re-worded with a new link (#27):
the learner's ticks go with them, a merged item is done only when every part of it was, and
each such placement is said by name. The shapes are those of real upstream commits (OSSU
f7fe84e and 86af22d, llm-course 1dfcf2e, OSSU 80ac876 and 73521f1, ML-YouTube-Courses
b71e9d3), written small."""

from companion.store import open_store
from companion.store.notes import read_note, write_note
from tests.services.test_progress_identity import load, synced_states, tick, write

ROWS = (
    "# Plan\n\n## Core programming\n\n"
    "- [Intro to Python](https://ex.org/python)\n"
    "- [How to Code - Simple Data](https://edx.example/simple-data)\n"
    "- [How to Code - Complex Data](https://edx.example/complex-data)\n"
    "- [Programming Languages, Part A](https://coursera.example/pl-a)\n"
    "- [Programming Languages, Part B](https://coursera.example/pl-b)\n"
    "- [Programming Languages, Part C](https://coursera.example/pl-c)\n"
    "- [Object-Oriented Design](https://coursera.example/ood)\n"
)
SPD = (
    "- [Systematic Program Design](https://edx.example/spd) (alt: "
    "[part 1](https://edx.example/simple-data) / [part 2](https://edx.example/complex-data))\n"
)
MERGED = ROWS.replace(
    "- [How to Code - Simple Data](https://edx.example/simple-data)\n"
    "- [How to Code - Complex Data](https://edx.example/complex-data)\n",
    SPD,
)
SPD_NAME = "Systematic Program Design (alt: part 1 / part 2)"
WHOLE = "- [Programming Languages](https://uw.example/cse341)\n"


def named(text: str):
    return lambda item: item.text == text


def test_two_courses_merged_into_one_done_when_both_were(tmp_path):
    data_dir = tmp_path / "data"
    write(data_dir, ROWS)
    first = tick(data_dir, named("How to Code - Simple Data"))
    second = tick(data_dir, named("How to Code - Complex Data"))
    write_note(data_dir, first, "Finished the HtDP recipe.")
    write_note(data_dir, second, "Trees and mutual recursion.")
    write(data_dir, MERGED)
    states, result = synced_states(data_dir)
    assert states == {(SPD_NAME, "https://edx.example/spd"): "done"}
    assert result.unplaced == []
    assert len(result.moved) == 2
    assert all(f"is now part of '{SPD_NAME}'" in line for line in result.moved)
    spd = next(i for i in load(data_dir).roadmaps[0].items if i.text.startswith("Systematic"))
    note = read_note(data_dir, spd.id)
    assert "Finished the HtDP recipe." in note and "Trees and mutual recursion." in note
    again, result = synced_states(data_dir)  # settled: nothing more happens
    assert again == states and result.moved == [] and result.unplaced == []


def test_one_part_done_of_a_merged_course_is_the_course_begun(tmp_path):
    data_dir = tmp_path / "data"
    write(data_dir, ROWS)
    tick(data_dir, named("How to Code - Simple Data"))
    write(data_dir, MERGED)
    states, result = synced_states(data_dir)
    assert states == {(SPD_NAME, "https://edx.example/spd"): "doing"}
    assert result.unplaced == []
    assert result.moved == [
        f"'How to Code - Simple Data' (done) is now part of '{SPD_NAME}' in "
        "'Plan', doing (companion roadmap attach "
        f"{next(i.id for i in load(data_dir).roadmaps[0].items if 'Systematic' in i.text)} "
        "ITEM moves that item's progress)"
    ]
    store = open_store(data_dir, read_only=True)
    history = [r for r in store.progress_records() if r["state"] == "doing"][0]["history"]
    store.close()
    assert [change[2] for change in history][-1] == "done"  # the tick kept in its history


def test_parts_a_b_and_c_taught_as_one_course(tmp_path):
    """OSSU 86af22d: the three Coursera parts became the university course, with a new link."""
    parts = (
        "- [Programming Languages, Part A](https://coursera.example/pl-a)\n"
        "- [Programming Languages, Part B](https://coursera.example/pl-b)\n"
        "- [Programming Languages, Part C](https://coursera.example/pl-c)\n"
    )
    for ticked, expected in ((["A"], "doing"), (["A", "B", "C"], "done")):
        data_dir = tmp_path / "".join(ticked)
        write(data_dir, ROWS)
        for letter in ticked:
            tick(data_dir, named(f"Programming Languages, Part {letter}"))
        write(data_dir, ROWS.replace(parts, WHOLE))
        states, result = synced_states(data_dir)
        assert states == {("Programming Languages", "https://uw.example/cse341"): expected}
        assert result.unplaced == [] and len(result.moved) == len(ticked)


def test_a_bullet_of_several_links_split_into_one_item_each(tmp_path):
    """llm-course 1dfcf2e: "General benchmarks" and its links became an item per benchmark."""
    data_dir = tmp_path / "data"
    write(
        data_dir,
        "# Plan\n\n## Evaluation\n\n- Metrics: [perplexity](https://ex.org/ppl)\n"
        "- General benchmarks: [harness](https://ex.org/harness), "
        "[leaderboard](https://ex.org/board), [big-bench](https://ex.org/bigbench)\n",
    )
    tick(data_dir, lambda item: item.text.startswith("General benchmarks"))
    write(
        data_dir,
        "# Plan\n\n## Evaluation\n\n- Metrics: [perplexity](https://ex.org/ppl)\n"
        "- [Evaluation harness](https://ex.org/harness): a framework\n"
        "- [Open LLM leaderboard](https://ex.org/board): a ranking\n"
        "- [Judging LLM-as-a-judge](https://ex.org/mt-bench): a paper\n",
    )
    states, result = synced_states(data_dir)
    assert states == {
        ("Evaluation harness: a framework", "https://ex.org/harness"): "done",
        ("Open LLM leaderboard: a ranking", "https://ex.org/board"): "done",
    }
    assert result.unplaced == []
    assert len(result.moved) == 1 and "is now 2 items, each done" in result.moved[0]


def test_a_course_moved_to_another_section_with_a_new_link_keeps_its_tick(tmp_path):
    """OSSU 80ac876: "Calculus 1B: Integration" went from Calculus to Core math, relinked, with
    the course before it. (Alone, a name the file has once could be a namesake: a lecture
    "Video lecture" of a deleted course is not the new one of another's.)"""
    data_dir = tmp_path / "data"
    write(
        data_dir,
        "# Plan\n\n## Calculus\n\n- [Calculus 1A: Differentiation](https://edx.example/1a)\n"
        "- [Calculus 1B: Integration](https://edx.example/1b)\n\n"
        "## Discrete math\n\n- [Mathematics for CS](https://ocw.example/mcs)\n",
    )
    tick(data_dir, named("Calculus 1B: Integration"))
    write(
        data_dir,
        "# Plan\n\n## Core math\n\n- [Calculus 1A: Differentiation](https://mit.example/1x)\n"
        "- [Calculus 1B: Integration](https://mit.example/18.01.2x)\n\n"
        "## Discrete math\n\n- [Mathematics for CS](https://ocw.example/mcs)\n",
    )
    states, result = synced_states(data_dir)
    assert states == {("Calculus 1B: Integration", "https://mit.example/18.01.2x"): "done"}
    assert result.unplaced == [] and len(result.moved) == 1
    assert "moved from 'Calculus' to 'Core math'" in result.moved[0]


def test_a_course_replaced_in_its_place_under_a_like_name(tmp_path):
    """OSSU 73521f1: "Introduction to Logic" (Coursera) -> "Introduction to Formal Logic"."""
    data_dir = tmp_path / "data"
    plan = (
        "# Plan\n\n## Advanced math\n\n- [Linear Algebra](https://ex.org/la)\n"
        "- [Introduction to Logic](https://coursera.example/logic)\n"
        "- [Probability](https://ex.org/prob)\n"
    )
    write(data_dir, plan)
    tick(data_dir, named("Introduction to Logic"))
    replaced = "[Introduction to Formal Logic](https://forallx.example/)"
    write(
        data_dir, plan.replace("[Introduction to Logic](https://coursera.example/logic)", replaced)
    )
    states, result = synced_states(data_dir)
    assert states == {("Introduction to Formal Logic", "https://forallx.example/"): "done"}
    assert result.unplaced == []


def test_a_name_listed_twice_and_now_once_holds_both_ticks(tmp_path):
    """ML-YouTube-Courses b71e9d3: a contents list named each course once more, linkless."""
    data_dir = tmp_path / "data"
    courses = (
        "## MLOps for production\n\n🔗 [Link to Course](https://yt.example/mlops)\n\n"
        "## Other course\n\n🔗 [Link to Course](https://yt.example/other)\n"
    )
    contents = "## Practical ML\n\n- [ ] MLOps for production\n- [ ] Other course\n\n"
    write(data_dir, "# Plan\n\n" + contents + courses)
    tick(data_dir, lambda item: item.text == "MLOps for production" and not item.resources)
    write(data_dir, "# Plan\n\n" + contents.replace("- [ ] MLOps for production\n", "") + courses)
    states, result = synced_states(data_dir)
    assert states == {("MLOps for production", "https://yt.example/mlops"): "done"}
    assert result.unplaced == []


def test_a_course_replaced_in_its_place_by_one_on_its_book_keeps_the_tick(tmp_path):
    """OSSU 83d8db6: "ops-class.org - Hack the Kernel" (with the OSTEP book) became "Operating
    Systems: Three Easy Pieces" (the book, its homework, lectures), in the same row."""
    data_dir = tmp_path / "data"
    plan = (
        "# Plan\n\n## Core systems\n\n- [Nand to Tetris](https://ex.org/nand)\n"
        "- [Computer Networking](https://ex.org/net)\n"
        "- [ops-class.org - Hack the Kernel](https://ops-class.example/) "
        "([book](https://ostep.example/))\n\n## Core theory\n\n- [Algorithms](https://ex.org/algo)\n"
    )
    write(data_dir, plan)
    tick(data_dir, lambda item: item.text.startswith("ops-class"))
    replaced = (
        "[Operating Systems: Three Easy Pieces](https://ostep.example/) "
        "([homework](https://ostep.example/homework), [lectures](https://yt.example/ostep))"
    )
    write(data_dir, plan.replace(
        "[ops-class.org - Hack the Kernel](https://ops-class.example/) "
        "([book](https://ostep.example/))", replaced))  # fmt: skip
    states, result = synced_states(data_dir)
    assert list(states.values()) == ["done"]
    assert next(iter(states))[1] == "https://ostep.example/"
    assert result.unplaced == [] and len(result.moved) == 1


def test_a_bullet_whose_links_went_to_new_children_is_not_their_like_named_parent(tmp_path):
    """coding-interview-university 2019 -> 2025: "Paxos Consensus algorithm:" and its videos
    became "Consensus Algorithms:" over a Paxos item (its video) and a Raft item. The tick is
    Paxos's, not the whole group's."""
    data_dir = tmp_path / "data"
    write(
        data_dir,
        "# Plan\n\n## System design\n\n- [ ] [CAP theorem](https://ex.org/cap)\n"
        "- [ ] Paxos Consensus algorithm:\n    - [short video](https://yt.example/paxos)\n"
        "    - [paper](https://ex.org/paxos.pdf)\n- [ ] [Consistent Hashing](https://ex.org/ch)\n",
    )
    tick(data_dir, lambda item: item.text.startswith("Paxos"))
    write(
        data_dir,
        "# Plan\n\n## System design\n\n- [ ] [CAP theorem](https://ex.org/cap)\n"
        "- [ ] Consensus Algorithms:\n"
        "    - [ ] Paxos - [Paxos Agreement (video)](https://yt.example/paxos)\n"
        "    - [ ] Raft - [Raft (video)](https://yt.example/raft)\n"
        "- [ ] [Consistent Hashing](https://ex.org/ch)\n",
    )
    states, result = synced_states(data_dir)
    assert states == {("Paxos - Paxos Agreement (video)", "https://yt.example/paxos"): "done"}
    assert result.unplaced == [] and len(result.moved) == 1
