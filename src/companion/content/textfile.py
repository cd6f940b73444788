"""Read a Markdown file as text, refusing binary or non-UTF-8 input with a clear message."""

from pathlib import Path

from companion.content.errors import ContentError
from companion.files import FileTooLarge, NotRegularFile, read_file
from companion.text import clean_text

MAX_BYTES = 20 * 1024 * 1024


def read_markdown(path: Path) -> str:
    """Return the file's text, sanitised; raise ContentError when it is not readable text."""
    try:
        data = read_file(path, MAX_BYTES)
    except FileTooLarge as error:
        raise ContentError(f"{path}: file is {error.strerror}") from error
    except NotRegularFile as error:
        raise ContentError(f"{path}: skipped, {error.strerror}") from error
    except OSError as error:
        raise ContentError(f"{path}: cannot read ({error.strerror or error})") from error
    return decode_markdown(data, str(path))


def decode_markdown(data: bytes, label: str) -> str:
    """Bytes as sanitised text; ContentError for binary data or anything not UTF-8."""
    if len(data) > MAX_BYTES:
        raise ContentError(f"{label}: too large ({len(data) // 1_048_576} MB, limit 20 MB)")
    if b"\x00" in data[:8192]:
        raise ContentError(f"{label}: looks like a binary file, not Markdown")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(
            f"{label}: not UTF-8 text (bad byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from error
    return clean_text(text)
