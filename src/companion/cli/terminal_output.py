"""What a command prints to a terminal is cleaned line by line, as the app cleans its text:
a note GUID, a note type's name, a roadmap's title or a page's words can hold escape
sequences (`ESC ]0;... BEL`, `ESC [2J`) that a terminal would obey. Output to a file or a
pipe is left as it is (an export, JSON), only a terminal is protected."""

import contextlib
import io
import re
import sys
from collections.abc import Iterator
from typing import TextIO

from companion.text import clean_text

_ENDS = re.compile(r"(\r\n|\n|\r)")


class CleanLines(io.TextIOBase):
    """A text stream that writes each complete line to `stream` cleaned (a sequence cut
    between two writes is still whole when its line is)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        *pieces, self._pending = _ENDS.split(self._pending)
        if pieces:  # (text, end) pairs: a progress bar's carriage returns go through
            self.stream.write("".join(
                clean_text(piece) if i % 2 == 0 else piece for i, piece in enumerate(pieces)
            ))  # fmt: skip
        return len(text)

    def flush(self) -> None:
        if self._pending:  # a prompt or a progress line without its end yet
            self.stream.write(clean_text(self._pending))
            self._pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding


@contextlib.contextmanager
def cleaned_terminal() -> Iterator[None]:
    """While a command runs: its stdout and stderr cleaned where they are terminals."""
    saved = sys.stdout, sys.stderr
    try:
        if sys.stdout.isatty():
            sys.stdout = CleanLines(sys.stdout)  # type: ignore[assignment]
        if sys.stderr.isatty():
            sys.stderr = CleanLines(sys.stderr)  # type: ignore[assignment]
        yield
    finally:
        for wrapped in (sys.stdout, sys.stderr):
            if isinstance(wrapped, CleanLines):
                wrapped.flush()
        sys.stdout, sys.stderr = saved
