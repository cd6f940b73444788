"""An async link checker on one httpx.AsyncClient: bounded, polite, patient, and never alarmist.

HEAD first and GET when HEAD is refused; redirects followed; 408, 429, 5xx and timeouts retried
with exponential backoff honouring Retry-After; bot walls (401, 403, 429, 999) are `blocked`, not
broken; and when no host at all can be reached the machine is `offline`, never the links broken.
"""

import asyncio
import contextlib
import errno
import ipaddress
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urldefrag, urlsplit

import httpx

from companion.links.body import ACCEPT_ENCODING, BodyError, read_body
from companion.links.fetch import deadline_for, request_problem
from companion.links.fragments import has_fragment, html_anchors, markdown_anchors
from companion.links.verdicts import BLOCKED, BROKEN, OFFLINE, OK, REDIRECTED, SKIPPED, LinkResult

RETRY_STATUSES = {408, 429} | set(range(500, 600))
BLOCKED_STATUSES = {401, 403, 429, 999}
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "ftp:", "irc:", "news:", "sms:")
UNREACHABLE_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}


@dataclass(frozen=True)
class CheckSettings:
    """How hard and how politely to check."""

    max_concurrency: int = 64
    per_host: int = 6
    host_interval_s: float = 0.01
    timeout_s: float = 10.0
    max_redirects: int = 10
    retries: int = 3
    backoff_s: float = 1.0
    max_retry_after_s: float = 60.0
    fragment_max_bytes: int = 2 * 1024 * 1024
    accept: frozenset[int] | None = None
    """Statuses that count as ok, as lychee's --accept (None: any success, 2xx)."""


class _Unreachable(Exception):
    """No route to the host: a sign the machine itself may be offline."""


class _CutOff(Exception):
    """The request outlived its deadline: the server answers, too slowly to wait for."""


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Retry-After as seconds to wait: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError):
        return None


class LinkChecker:
    """Checks URLs with bounded concurrency in total and per host."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: CheckSettings | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.settings = settings or CheckSettings()
        self.sleep = sleep
        self._total = asyncio.Semaphore(self.settings.max_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.settings.per_host)
        )
        self._next_slot: dict[str, float] = {}
        self.in_flight: dict[str, int] = defaultdict(int)
        self.max_in_flight: dict[str, int] = defaultdict(int)
        self.requests = 0

    async def check_many(
        self, urls: Iterable[str], on_result: Callable[[LinkResult], None] | None = None
    ) -> dict[str, LinkResult]:
        """Check each distinct URL once; connection failures everywhere mean `offline`."""
        unique = list(dict.fromkeys(urls))

        async def one(url: str) -> LinkResult:
            try:
                result = await self.check(url)
            except Exception as error:  # noqa: BLE001 - one odd URL must not stop the others
                reason = f"{type(error).__name__}: {error}".splitlines()[0][:200]
                result = LinkResult(url, BROKEN, error=reason, checked_at=time.time())
            if on_result is not None:
                on_result(result)
            return result

        results = dict(zip(unique, await asyncio.gather(*(one(u) for u in unique)), strict=True))
        if not any(r.status is not None and not is_local_host(r.url) for r in results.values()):
            return results  # no host beyond this machine answered: unreachable means offline
        # A host out on the network answered, so the network is up: an unreachable host is broken.
        return {
            url: LinkResult(r.url, BROKEN, None, None, r.error, r.checked_at)
            if r.verdict == OFFLINE
            else r
            for url, r in results.items()
        }

    async def check(self, url: str) -> LinkResult:
        """Check one URL."""
        now = time.time()
        if url.lower().startswith(SKIPPED_SCHEMES) or not url.lower().startswith(
            ("http:", "https:")
        ):
            return LinkResult(url, SKIPPED, checked_at=now)
        page, fragment = urldefrag(url)
        try:
            httpx.URL(page)
        except httpx.InvalidURL as error:
            return LinkResult(
                url, BROKEN, error=f"not a valid web address ({error})", checked_at=now
            )
        host = urlsplit(page).netloc.lower()
        try:
            async with self._total, self._hosts[host]:
                return await self._check_with_retries(url, page, fragment, host)
        except _Unreachable as error:
            return LinkResult(url, OFFLINE, error=str(error), checked_at=now)

    async def _check_with_retries(
        self, url: str, page: str, fragment: str, host: str
    ) -> LinkResult:
        """Retry what may pass later, waiting Retry-After or an exponential backoff (capped).
        A server that refused HEAD once is asked with GET alone on the next tries."""
        head = True
        for attempt in range(self.settings.retries + 1):
            result, retry, retry_after, head = await self._attempt(url, page, fragment, host, head)
            if not retry or attempt == self.settings.retries:
                return result
            delay = retry_after if retry_after is not None else self.settings.backoff_s * 2**attempt
            await self.sleep(min(delay, self.settings.max_retry_after_s))
        raise AssertionError("unreachable")

    async def _attempt(
        self, url: str, page: str, fragment: str, host: str, head: bool
    ) -> tuple[LinkResult, bool, float | None, bool]:
        """One round, HEAD then GET if refused (GET alone when `head` is False or a fragment
        needs the body): the result, whether to retry, any Retry-After, and whether HEAD is
        worth trying again."""
        now = time.time()
        try:
            response = None
            if head and not fragment:
                response = await self._request("HEAD", page, host)
                head = response.status_code < 400
            if response is None or response.status_code >= 400:
                response = await self._request("GET", page, host, fragment=fragment)
        except httpx.TimeoutException:
            return self._broken(url, "timed out", now), True, None, head
        except _CutOff as error:
            return self._broken(url, str(error), now), False, None, head
        except httpx.TooManyRedirects:
            loop = f"redirect loop or more than {self.settings.max_redirects} redirects"
            return self._broken(url, loop, now), False, None, head
        except httpx.ConnectError as error:
            if _is_unreachable(error):
                raise _Unreachable(request_problem(error)) from error
            return self._broken(url, request_problem(error), now), False, None, head
        except (httpx.HTTPError, httpx.InvalidURL, BodyError) as error:
            return self._broken(url, request_problem(error), now), False, None, head
        result, retry, wait = self._judge(url, page, fragment, response, now)
        return result, retry, wait, head

    def _judge(
        self, url: str, page: str, fragment: str, response: httpx.Response, now: float
    ) -> tuple[LinkResult, bool, float | None]:
        """The verdict on a response: the result, whether to retry, and any Retry-After."""
        status = response.status_code
        accept = self.settings.accept
        retry = status in RETRY_STATUSES and (accept is None or status not in accept)
        wait = retry_after_seconds(response.headers.get("retry-after"), now) if retry else None
        verdict = BLOCKED if status in BLOCKED_STATUSES else BROKEN
        if accept is not None and status not in accept:
            reason = f"HTTP {status}, not in --accept"
            return LinkResult(url, verdict, status, error=reason, checked_at=now), retry, wait
        if accept is None and status >= 400:
            return LinkResult(url, verdict, status, checked_at=now), retry, wait
        final = str(response.url)
        body = getattr(response, "companion_body", None)
        if fragment and body is not None:
            anchors = markdown_anchors(body) if page.endswith(".md") else html_anchors(body)
            if not has_fragment(fragment, anchors):
                missing = f"missing fragment #{unquote(fragment)}"
                moved = final if response.history and final != page else None
                return LinkResult(url, BROKEN, status, moved, missing, now, True), False, None
        verdict = REDIRECTED if response.history and final != page else OK
        shown = final if verdict == REDIRECTED else None
        return LinkResult(url, verdict, status, shown, None, now, bool(fragment)), False, None

    @staticmethod
    def _broken(url: str, reason: str, now: float) -> LinkResult:
        return LinkResult(url, BROKEN, error=reason, checked_at=now)

    async def _request(
        self, method: str, url: str, host: str, fragment: str = ""
    ) -> httpx.Response:
        """Send one request, politely spaced per host; never read more body than needed."""
        # Each request books the host's next free start, host_interval_s after the one
        # before, then sleeps until it; booking needs no lock, as nothing awaits in between.
        now = time.monotonic()
        start = max(now, self._next_slot.get(host, now))
        self._next_slot[host] = start + self.settings.host_interval_s
        if start > now:
            await asyncio.sleep(start - now)
        self.in_flight[host] += 1
        self.max_in_flight[host] = max(self.max_in_flight[host], self.in_flight[host])
        self.requests += 1
        deadline = deadline_for(self.settings.timeout_s)
        try:
            async with asyncio.timeout(deadline):
                return await self._send(method, url, fragment)
        except TimeoutError as error:
            raise _CutOff(f"too slow: cut off after {deadline:g} s") from error
        finally:
            self.in_flight[host] -= 1

    async def _send(self, method: str, url: str, fragment: str) -> httpx.Response:
        request = self.client.build_request(
            method,
            url,
            timeout=self.settings.timeout_s,
            headers={"Accept-Encoding": ACCEPT_ENCODING},
        )
        # HEAD has no body, so it is read whole and its connection goes back to the pool;
        # a GET is streamed and closed early, so a huge body is never downloaded.
        response = await self.client.send(request, stream=method != "HEAD", follow_redirects=True)
        try:
            if fragment and method == "GET" and _is_text(response):
                body = await read_body(response, self.settings.fragment_max_bytes, cut=True)
                text = body.decode(response.encoding or "utf-8", errors="replace")
                response.companion_body = text  # type: ignore[attr-defined]
        finally:
            await response.aclose()
        return response


def is_local_host(url: str) -> bool:
    """Whether a URL points at this machine (an answer from it proves nothing about the network)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in ("localhost", "::1") or host.endswith(".localhost"):
        return True
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host).is_loopback
    return False


def _is_text(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "")
    return "html" in kind or "markdown" in kind or "text/plain" in kind or not kind


def _is_unreachable(error: httpx.ConnectError) -> bool:
    """Name resolution failed or there is no route: maybe no network at all."""
    cause = error.__cause__ or error.__context__
    while cause is not None:
        if isinstance(cause, OSError) and cause.errno in UNREACHABLE_ERRNOS:
            return True
        if cause.__class__.__name__ == "gaierror":
            return True
        cause = cause.__cause__ or cause.__context__
    text = str(error).lower()
    return any(
        word in text
        for word in (
            "name or service not known",
            "temporary failure in name",
            "network is unreachable",
            "no address associated",
            "nodename nor servname",
        )
    )
