from pathlib import Path

from companion.srs.linking import CardText
from companion.store.card_texts import CardTextIndex
from companion.store.review_log import ReviewLog


def event(seq: int, card: str, text: str, src: str = "decks/a.md") -> dict:
    return {"seq": seq, "kind": "review", "card": card, "grade": 3, "ts": 1.0 * seq,
            "text": text, "type": "basic", "src": src}  # fmt: skip


def test_the_latest_text_is_found_and_later_lookups_read_only_what_the_log_gained(
    tmp_path: Path,
):
    log = ReviewLog(tmp_path / "reviews.jsonl")
    log.append(event(1, "c1", "What is a tensor?"))
    log.append(event(2, "c2", "What is a gradient?"))
    log.append(event(3, "c1", "What is a tensor?!"))
    index = CardTextIndex(tmp_path / "cache" / "texts.packed", log, writable=True)
    assert index.lookup({"c1", "zz"}) == {
        "c1": CardText("basic", "decks/a.md", "What is a tensor?!")
    }

    # Rewrite the early lines in place: a lookup that read them again would see the change.
    raw = log.path.read_bytes().replace(b"tensor?!", b"TENSOR?!")
    log.path.write_bytes(raw)
    log.append(event(4, "c1", "What is a tensor?!", src="decks/b.md"))  # moved to another deck
    again = CardTextIndex(tmp_path / "cache" / "texts.packed", log, writable=True)
    assert again.lookup({"c1"}) == {"c1": CardText("basic", "decks/b.md", "What is a tensor?!")}
    assert again.lookup({"zz"}) == {}  # looked up before and never logged: not read again


def test_a_card_never_looked_up_reads_the_whole_log(tmp_path: Path):
    log = ReviewLog(tmp_path / "reviews.jsonl")
    log.append(event(1, "c1", "one"))
    log.append(event(2, "c2", "two"))
    index = CardTextIndex(tmp_path / "texts.packed", log, writable=True)
    assert set(index.lookup({"c1"})) == {"c1"}
    assert index.lookup({"c2"}) == {"c2": CardText("basic", "decks/a.md", "two")}


def test_a_read_only_lookup_writes_nothing_and_a_damaged_cache_is_ignored(tmp_path: Path):
    log = ReviewLog(tmp_path / "reviews.jsonl")
    log.append(event(1, "c1", "one"))
    cache = tmp_path / "texts.packed"
    assert set(CardTextIndex(cache, log, writable=False).lookup({"c1"})) == {"c1"}
    assert not cache.exists()
    cache.write_bytes(b"\x00garbage")
    assert set(CardTextIndex(cache, log, writable=True).lookup({"c1"})) == {"c1"}
