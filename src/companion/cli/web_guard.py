"""The guard in front of `companion serve`: textual-serve has no authentication, and anyone who
reaches its port gets the learner's app and files. Every request and the websocket need the
token (compared in constant time); a token given in the URL moves to an HttpOnly,
SameSite=Strict cookie and the URL drops it; a websocket must come from the server's own
origin (no cross-site hijacking); failed attempts are limited per client.
"""

import hmac
import time
from collections import deque
from collections.abc import Awaitable, Callable

from aiohttp import web

COOKIE = "companion_token"
FAILURES_ALLOWED = 20  # per client, in FAILURE_WINDOW_S; then 429 until the window passes
FAILURE_WINDOW_S = 60.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Guard:
    """An aiohttp middleware holding the token and the failures seen per client."""

    def __init__(self, token: str, origins: set[str]) -> None:
        self.token = token
        self.origins = origins
        """The origins the browser page is served from (the websocket must come from one)."""
        self._failures: dict[str, deque[float]] = {}

    def _limited(self, client: str) -> bool:
        now = time.monotonic()
        failures = self._failures.setdefault(client, deque())
        while failures and now - failures[0] > FAILURE_WINDOW_S:
            failures.popleft()
        return len(failures) >= FAILURES_ALLOWED

    def _failed(self, client: str) -> None:
        self._failures.setdefault(client, deque()).append(time.monotonic())

    def _matches(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    @property
    def middleware(self) -> Callable:
        """The middleware itself (aiohttp knows a new-style one by a mark on a function)."""

        @web.middleware
        async def guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
            return await self.check(request, handler)

        return guarded

    async def check(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        client = request.remote or "?"
        if self._limited(client):
            return web.Response(status=429, text="Too many failed attempts: wait a minute.\n")
        in_url = request.query.get("token")
        if in_url is not None:
            if not self._matches(in_url):
                self._failed(client)
                return web.Response(status=401, text="Wrong token.\n")
            # the token leaves the URL (and the history) for a cookie only this site sends
            query = {k: v for k, v in request.query.items() if k != "token"}
            response = web.HTTPFound(request.rel_url.with_query(query))
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
            raise response
        if not self._matches(request.cookies.get(COOKIE)):
            self._failed(client)
            status = 401 if request.path == "/" else 403
            return web.Response(status=status, text="This companion needs its token.\n")
        if request.path == "/ws" and request.headers.get("Origin") not in self.origins:
            self._failed(client)
            return web.Response(status=403, text="A websocket from another site.\n")
        return await handler(request)
