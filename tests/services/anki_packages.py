"""Real Anki packages written by the tests: the SQLite schema Anki uses, zipped as Anki zips it
(current: zstd collection and media with a protobuf media list; legacy: plain SQLite, JSON)."""

import hashlib
import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import zstandard

NOTES = """
create table notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
create table cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
create table revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null,
  factor integer not null, time integer not null, type integer not null);
create table col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
create table graves (usn integer not null, oid integer not null, type integer not null);
"""
MODERN = """
create table notetypes (id integer primary key, name text not null, mtime_secs integer not null,
  usn integer not null, config blob not null);
create table fields (ntid integer not null, ord integer not null, name text not null,
  config blob not null, primary key (ntid, ord));
create table templates (ntid integer not null, ord integer not null, name text not null,
  mtime_secs integer not null, usn integer not null, config blob not null,
  primary key (ntid, ord));
create table decks (id integer primary key, name text not null, mtime_secs integer not null,
  usn integer not null, common blob not null, kind blob not null);
"""


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


@dataclass
class PackageBuilder:
    """An Anki collection built row by row, then written as a package."""

    modern: bool = True
    created: int = 1_700_000_000
    notetypes: dict[int, tuple[str, bool, list[str], int]] = field(default_factory=dict)
    decks: dict[int, str] = field(default_factory=lambda: {1: "Default"})
    notes: list[tuple] = field(default_factory=list)
    cards: list[tuple] = field(default_factory=list)
    revlog: list[tuple] = field(default_factory=list)
    media: dict[str, bytes] = field(default_factory=dict)

    def notetype(self, ntid: int, name: str, fields: list[str], cloze=False, templates=1) -> int:
        self.notetypes[ntid] = (name, cloze, fields, templates)
        return ntid

    def note(self, nid: int, guid: str, ntid: int, fields: list[str], tags: str = "") -> int:
        self.notes.append(
            (
                nid,
                guid,
                ntid,
                0,
                -1,
                f" {tags} " if tags else "",
                "\x1f".join(fields),
                fields[0],
                0,
                0,
                "",
            )
        )
        return nid

    def card(self, cid: int, nid: int, did: int, ord: int = 0, *, type=0, queue=0, due=0,
             ivl=0, reps=0, lapses=0, data="") -> int:  # fmt: skip
        self.cards.append(
            (cid, nid, did, ord, 0, -1, type, queue, due, ivl, 2500, reps, lapses, 0, 0, 0, 0, data)
        )
        return cid

    def review(self, rid: int, cid: int, ease: int, ivl: int, type: int = 1, time_ms: int = 5000):
        self.revlog.append((rid, cid, -1, ease, ivl, 0, 2500, time_ms, type))

    def write(self, path: Path) -> Path:
        with tempfile.TemporaryDirectory() as tmp:
            db_path = Path(tmp) / "collection"
            db = sqlite3.connect(db_path)
            db.executescript(NOTES + (MODERN if self.modern else ""))
            models, decks = "{}", "{}"
            if self.modern:
                for ntid, (name, cloze, fields, templates) in self.notetypes.items():
                    db.execute(
                        "insert into notetypes values (?,?,0,-1,?)",
                        (ntid, name, bytes([8, 1]) if cloze else b""),
                    )
                    for ord_, fname in enumerate(fields):
                        db.execute("insert into fields values (?,?,?,?)", (ntid, ord_, fname, b""))
                    for ord_ in range(templates):
                        db.execute(
                            "insert into templates values (?,?,?,0,-1,?)",
                            (ntid, ord_, f"Card {ord_ + 1}", b""),
                        )
                for did, name in self.decks.items():
                    db.execute(
                        "insert into decks values (?,?,0,-1,?,?)",
                        (did, name.replace("::", "\x1f"), b"", b""),
                    )
            else:
                models = json.dumps(
                    {
                        str(ntid): {
                            "name": name,
                            "type": 1 if cloze else 0,
                            "flds": [{"name": f, "ord": i} for i, f in enumerate(fields)],
                            "tmpls": [
                                {"name": f"Card {i + 1}", "ord": i} for i in range(templates)
                            ],
                        }
                        for ntid, (name, cloze, fields, templates) in self.notetypes.items()
                    }
                )
                decks = json.dumps(
                    {str(did): {"name": name, "id": did} for did, name in self.decks.items()}
                )
            db.execute(
                "insert into col values (1,?,0,0,?,0,0,0,'{}',?,?,'{}','{}')",
                (self.created, 18 if self.modern else 11, models, decks),
            )
            db.executemany("insert into notes values (?,?,?,?,?,?,?,?,?,?,?)", self.notes)
            db.executemany(
                "insert into cards values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self.cards
            )
            db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", self.revlog)
            db.commit()
            db.close()
            raw = db_path.read_bytes()
        compress = zstandard.ZstdCompressor().compress
        with zipfile.ZipFile(path, "w") as archive:
            if self.modern:
                archive.writestr("collection.anki21b", compress(raw))
                archive.writestr("collection.anki2", b"please update to the latest Anki")
                entries = b"".join(
                    _field(
                        1,
                        _field(1, name.encode())
                        + _varint(2 << 3)
                        + _varint(len(data))
                        + _field(3, hashlib.sha1(data).digest()),
                    )
                    for name, data in self.media.items()
                )
                archive.writestr("media", compress(entries))
                for index, data in enumerate(self.media.values()):
                    archive.writestr(str(index), compress(data))
                archive.writestr("meta", _varint(1 << 3) + _varint(3))
            else:
                archive.writestr("collection.anki21", raw)
                archive.writestr(
                    "media", json.dumps({str(i): name for i, name in enumerate(self.media)})
                )
                for index, data in enumerate(self.media.values()):
                    archive.writestr(str(index), data)
        return path


ZEROS = 1 << 20


def bombed(path: Path, member: str, head: bytes, zero_mb: int, zstd: bool) -> Path:
    """The package with `member` replaced by `head` and `zero_mb` MB of zeros: compressed
    with zstd inside the zip (current packages) or deflated by the zip (legacy ones), a few
    KB either way."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist() if name != member}
    out = path.with_name(f"bomb-{path.name}")
    kind = zipfile.ZIP_STORED if zstd else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", compression=kind) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        with archive.open(member, "w", force_zip64=True) as written:
            compressor = zstandard.ZstdCompressor().compressobj() if zstd else None
            for piece in (head, *(bytes(ZEROS) for _ in range(zero_mb))):
                written.write(compressor.compress(piece) if compressor else piece)
            if compressor:
                written.write(compressor.flush())
    return out


def one_card(modern: bool, front: str = "What is shown?") -> PackageBuilder:
    package = PackageBuilder(modern=modern)
    basic = package.notetype(10, "Basic", ["Front", "Back"])
    package.note(1, "g1", basic, [front, "A."])
    package.card(101, 1, 1)
    return package
