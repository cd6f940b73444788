"""Fetch a text document (a roadmap to import) with a size cap and a timeout."""

import httpx

from companion import __version__

USER_AGENT = f"companion/{__version__} (+study companion; roadmap import)"


class FetchError(Exception):
    """The document could not be fetched; the message is one line."""


async def fetch_bytes(client: httpx.AsyncClient, url: str, max_bytes: int) -> bytes:
    """The body of `url`, streamed and cut off with an error beyond `max_bytes`."""
    try:
        async with client.stream("GET", url, follow_redirects=True) as response:
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url}: too large ({int(declared) // 1_048_576} MB)")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(f"{url}: too large (over {max_bytes // 1_048_576} MB)")
            return bytes(body)
    except httpx.TimeoutException as error:
        raise FetchError(f"{url}: timed out") from error
    except httpx.HTTPError as error:
        raise FetchError(f"{url}: {type(error).__name__}: {error}".splitlines()[0]) from error
