"""How commands speak on stderr: notices, and one-line errors with exit code 2."""

import sys

from companion.text import clean_text

USAGE_ERROR = 2


def say(message: str) -> None:
    """A notice on stderr, shown at once (before a full screen opens, say), cleaned of any
    escape sequence it quotes from a file or a package."""
    print(clean_text(message), file=sys.stderr, flush=True)


def fail(message: str) -> int:
    """Print `companion: error: message` on stderr; return the exit code for bad input."""
    print(f"companion: error: {clean_text(message)}", file=sys.stderr)
    return USAGE_ERROR
