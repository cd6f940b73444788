"""Errors the store raises; each message is one line naming the file involved."""


class DataFileError(Exception):
    """A data file is corrupt, foreign, or from a newer companion; it was left untouched."""


class StoreLockedError(Exception):
    """Another companion process is using the same data directory."""
