"""How much of an Anki package companion takes, in one place: a package may be hostile (a zip
or zstd bomb, a note of gigabytes), and an import must stay within a few hundred MB of memory
and a bounded amount of disk whatever it holds. Each limit is said in one line when met.

Everything is read in chunks of READ_CHUNK, so no limit is ever allocated up front (a read of
`limit + 1` bytes allocated 4 GiB for every package).
"""

from companion.files import MB

READ_CHUNK = 1 * MB
MAX_COLLECTION_BYTES = 4 * 1024 * MB
"""The collection's SQLite file once decompressed, written to a temporary file (not memory):
a collection of 100,000 notes and 1,000,000 answers is about 300 MB."""
MAX_MEDIA_BYTES = 100 * MB
"""One media file once decompressed: what AnkiWeb syncs (larger files are left out, named)."""
MAX_MEDIA_LIST_BYTES = 64 * MB
"""The package's list of media names."""
MAX_NOTE_BYTES = 16 * MB
"""One note's fields: larger ones are left out and named (a deck file holds 18 MB of notes)."""
MAX_DECK_DEPTH = 64
"""Deeper decks are refused: each level is a folder (1,500 levels overflowed the path)."""
