"""Fetch a document (a roadmap to import, a page to save): size-capped, with one deadline.

httpx's timeouts bound each wait, so a server sending one byte every two seconds is never
timed out; the deadline bounds the whole request, redirects and body included.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from companion import __version__
from companion.links.body import ACCEPT_ENCODING, BodyError, BodyTooLarge, read_body

USER_AGENT = f"companion/{__version__} (+study companion; roadmap import)"
DEADLINE_PER_TIMEOUT = 2  # a whole request may take twice the longest single wait


class FetchError(Exception):
    """The document could not be fetched; the message is one line."""


def deadline_for(timeout_s: float) -> float:
    """The time a whole request may take, given the longest single wait."""
    return timeout_s * DEADLINE_PER_TIMEOUT


def request_problem(error: Exception) -> str:
    """A few words for why a request failed (an httpx error, an invalid redirect), naming a
    refused connection as such."""
    if isinstance(error, httpx.InvalidURL):
        return "redirects to an address that is not a web link"
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.TooManyRedirects):
        return "a redirect loop or too many redirects"
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError) or "refused" in str(cause).lower():
            return "connection refused"
        cause = cause.__cause__ or cause.__context__
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]


@dataclass(frozen=True)
class Fetched:
    """A document's body (content encoding undone) and its declared type."""

    body: bytes
    content_type: str
    """The Content-Type header as sent, or "" (parameters such as charset included)."""


async def fetch_bytes(
    client: httpx.AsyncClient, url: str, max_bytes: int, deadline_s: float
) -> bytes:
    """The decoded body of `url`; FetchError past `max_bytes`, past the deadline, or on error."""
    return (await fetch_document(client, url, max_bytes, deadline_s)).body


async def fetch_document(
    client: httpx.AsyncClient,
    url: str,
    max_bytes: int,
    deadline_s: float,
    limit_for: Callable[[str], int] | None = None,
) -> Fetched:
    """`url`'s body and type; FetchError past `max_bytes` (or what `limit_for` allows a
    document of the Content-Type sent), past the deadline (the whole request: redirects and a
    trickling body included), or on error."""
    try:
        httpx.URL(url)
    except httpx.InvalidURL as error:
        raise FetchError(f"{url}: not a valid web address ({error})") from error
    try:
        async with asyncio.timeout(deadline_s):
            request = client.build_request("GET", url, headers={"Accept-Encoding": ACCEPT_ENCODING})
            response = await client.send(request, stream=True, follow_redirects=True)
            try:
                if response.status_code >= 400:
                    raise FetchError(f"{url}: HTTP {response.status_code}")
                content_type = response.headers.get("content-type", "")
                if limit_for is not None:
                    max_bytes = limit_for(content_type)
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"{url}: too large ({int(declared) // 1_048_576} MB)")
                body = await read_body(response, max_bytes)
                return Fetched(body, content_type)
            finally:
                await response.aclose()
    except TimeoutError as error:
        raise FetchError(f"{url}: too slow, cut off after {deadline_s:g} s") from error
    except BodyTooLarge as error:
        raise FetchError(f"{url}: too large ({error})") from error
    except BodyError as error:
        raise FetchError(f"{url}: {error}") from error
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise FetchError(f"{url}: {request_problem(error)}") from error
