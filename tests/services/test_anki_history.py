"""Which revlog entries an import keeps is told the same in Python (`kind_of`, entry by entry)
and in SQL (`KEPT_SQL`, counting the entries already logged at a second import)."""

import sqlite3
from itertools import product

from companion.services.anki_history import kind_of
from companion.store.revlog_columns import KEPT_SQL


def test_the_sql_keeps_what_kind_of_keeps():
    db = sqlite3.connect(":memory:")
    db.execute("create table revlog (ease integer, type integer, factor integer)")
    grid = list(product(range(-1, 7), range(-1, 8), (0, 1300, 2500)))
    db.executemany("insert into revlog values (?, ?, ?)", grid)
    rows = db.execute(f"select ease, type, factor, {KEPT_SQL} from revlog").fetchall()
    assert len(rows) == len(grid)
    for ease, review_type, factor, kept in rows:
        assert bool(kept) == (kind_of(ease, review_type, factor) is not None)
