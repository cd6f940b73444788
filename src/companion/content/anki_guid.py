"""An Anki note's GUID in the `<!-- anki: GUID -->` line above its cards, both ways.

A GUID Anki made is printable ASCII with no space, and is written as it is. Any other (a
space in it, a line break, "--", which would end the comment early, letters outside ASCII)
is written as `=b64:` and its URL-safe base64: a GUID of Anki's alphabet never starts with
"=", so the two never mix, and the line always reads back as the GUID it was written for.
"""

import base64
import binascii
import re

PREFIX = "=b64:"
_PLAIN = re.compile(r"[!-~]+")


def guid_marker(guid: str) -> str:
    """The GUID as the marker line holds it."""
    if _PLAIN.fullmatch(guid) and "--" not in guid and not guid.startswith("="):
        return guid
    return PREFIX + base64.urlsafe_b64encode(guid.encode("utf-8")).decode("ascii").rstrip("=")


def marker_guid(written: str) -> str:
    """The GUID a marker line holds (as written, when it is not one encoded)."""
    if not written.startswith(PREFIX):
        return written
    encoded = written[len(PREFIX) :]
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        return written
