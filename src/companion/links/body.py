"""Response bodies read within a size cap, every Content-Encoding layer decoded by us.

httpx decodes `Content-Encoding` with unbounded zlib calls: a 13 KB body sent as `gzip, gzip`
inflates to 8 GiB in two calls, before any cap on the decoded size can act. Here the raw bytes
are decoded layer by layer, each layer asked for at most the cap plus one byte, so no layer
ever holds more than the cap, whatever the ratio.
"""

import zlib

import httpx

ACCEPT_ENCODING = "gzip, deflate"  # only what is decoded here; br or zstd are never asked for
MAX_LAYERS = 3


class BodyError(Exception):
    """The body cannot be read; the message is a few words."""


class BodyTooLarge(BodyError):
    """The decoded body is over the cap."""


class _Layer:
    """One encoding undone, its output capped."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        self.produced = 0
        wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self.inflater: zlib._Decompress | None = (
            None if encoding in ("identity", "") else zlib.decompressobj(wbits)
        )
        self.started = False

    def decode(self, data: bytes) -> bytes:
        out = data if self.inflater is None else self._inflate(data)
        self.produced += len(out)
        if self.produced > self.limit:
            raise BodyTooLarge(f"over {self.limit // 1_048_576 or 1} MB once decoded")
        return out

    def _inflate(self, data: bytes) -> bytes:
        assert self.inflater is not None
        try:
            out = self.inflater.decompress(data, self.limit - self.produced + 1)
        except zlib.error as error:
            if self.encoding == "deflate" and not self.started:
                # Many servers send raw deflate under the name of zlib-wrapped deflate.
                self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                self.started = True
                return self._inflate(data)
            raise BodyError(f"damaged {self.encoding} content ({error})") from error
        self.started = True
        return out

    def flush(self) -> bytes:
        if self.inflater is None:
            return b""
        out = self.inflater.flush()  # only what the capped calls held back: at most a window
        self.produced += len(out)
        if self.produced > self.limit:
            raise BodyTooLarge(f"over {self.limit // 1_048_576 or 1} MB once decoded")
        return out


class ContentDecoder:
    """Undoes a Content-Encoding header's layers (last applied, first undone), each capped."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        names = [name.strip().lower() for name in content_encoding.split(",") if name.strip()]
        names = [name for name in names if name != "identity"]
        unknown = [name for name in names if name not in ("gzip", "x-gzip", "deflate")]
        if unknown:
            raise BodyError(f"unsupported content encoding '{unknown[0][:20]}'")
        if len(names) > MAX_LAYERS:
            raise BodyError(f"{len(names)} layers of content encoding")
        self.layers = [_Layer(name, limit) for name in reversed(names)] + [_Layer("", limit)]

    def decode(self, raw: bytes) -> bytes:
        """Decoded bytes for the next raw chunk; BodyTooLarge past the cap."""
        data = raw
        for layer in self.layers:
            data = layer.decode(data)
        return data

    def flush(self) -> bytes:
        """What is left once the raw stream has ended."""
        data = b""
        for layer in self.layers:
            data = (layer.decode(data) if data else b"") + layer.flush()
        return data


async def read_body(response: httpx.Response, limit: int, *, cut: bool = False) -> bytes:
    """The decoded body of a streamed response: BodyTooLarge past `limit`, or with `cut` its
    first `limit` bytes (enough to look for an anchor)."""
    decoder = ContentDecoder(response.headers.get("content-encoding", ""), limit)
    body = bytearray()
    try:
        async for raw in response.aiter_raw():
            body += decoder.decode(raw)
        body += decoder.flush()
    except BodyTooLarge:
        if not cut:
            raise
    return bytes(body[:limit])
