"""The top-level fields of a protobuf message, enough for what Anki keeps as protobuf (the
media list, note type kinds, deck presets) without a protobuf dependency."""


def fields_of(data: bytes) -> list[tuple[int, int | bytes]]:
    """The top-level fields of a protobuf message as (number, value): enough for Anki's
    media list and note type kind, without a protobuf dependency."""
    fields, position = [], 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(data, position)
        elif wire == 2:
            length, position = _varint(data, position)
            value, position = data[position : position + length], position + length
        elif wire == 5:
            value, position = int.from_bytes(data[position : position + 4], "little"), position + 4
        elif wire == 1:
            value, position = int.from_bytes(data[position : position + 8], "little"), position + 8
        else:
            raise ValueError(f"protobuf wire type {wire}")
        fields.append((number, value))
    return fields


def _varint(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(data):
            raise ValueError("truncated varint")
        byte = data[position]
        result |= (byte & 0x7F) << shift
        position += 1
        if not byte & 0x80:
            return result, position
        shift += 7
