"""Errors raised while reading content files."""


class ContentError(Exception):
    """A content file could not be read; the message is one line naming the file."""
