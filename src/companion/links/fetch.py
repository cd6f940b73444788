"""Fetch a document (a roadmap to import, a page to save): size-capped, with one deadline.

httpx's timeouts bound each wait, so a server sending one byte every two seconds is never
timed out; the deadline bounds the whole request, redirects and body included.
"""

import asyncio

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


async def fetch_bytes(
    client: httpx.AsyncClient, url: str, max_bytes: int, deadline_s: float
) -> bytes:
    """The decoded body of `url`; FetchError past `max_bytes`, past the deadline, or on error."""
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
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"{url}: too large ({int(declared) // 1_048_576} MB)")
                return await read_body(response, max_bytes)
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
