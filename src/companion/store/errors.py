"""Errors the store raises; each message is one line naming the file involved."""

import errno


class DataFileError(Exception):
    """A data file is corrupt, foreign, or from a newer companion; it was left untouched."""


class StoreLockedError(Exception):
    """Another companion process is using the same data directory."""


_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def not_saved(error: OSError) -> str:
    """One line telling the learner a write failed and nothing was recorded."""
    if error.errno in _NO_SPACE:
        return "Not saved: disk full. Free some space and try again; nothing was recorded."
    reason = error.strerror or str(error) or type(error).__name__
    return f"Not saved: {reason}. Nothing was recorded; try again."
