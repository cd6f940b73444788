"""A transport that keeps one small connection pool per host.

httpcore's pool rescans every connection for every queued request (quadratic in the number of
connections), which dominates checking a thousand links over many hosts. Splitting the pool by
host keeps each scan to the handful of connections one host may have; the checker still uses a
single httpx.AsyncClient.
"""

import ssl

import certifi
import httpx


class PerHostTransport(httpx.AsyncBaseTransport):
    """Routes each request to a transport of its own origin, created on first use."""

    def __init__(self, per_host: int) -> None:
        self.per_host = per_host
        self._transports: dict[tuple[bytes, bytes, int | None], httpx.AsyncHTTPTransport] = {}
        self._ssl: ssl.SSLContext | None = None  # loading CA certificates costs ~20 ms: once

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        origin = (url.raw_scheme, url.raw_host, url.port)
        transport = self._transports.get(origin)
        if transport is None:
            limits = httpx.Limits(
                max_connections=self.per_host, max_keepalive_connections=self.per_host
            )
            verify: ssl.SSLContext | bool = False  # plain http: no TLS on this origin at all
            if url.raw_scheme == b"https":
                if self._ssl is None:
                    self._ssl = ssl.create_default_context(cafile=certifi.where())
                verify = self._ssl
            transport = httpx.AsyncHTTPTransport(limits=limits, verify=verify)
            self._transports[origin] = transport
        return await transport.handle_async_request(request)

    async def aclose(self) -> None:
        for transport in self._transports.values():
            await transport.aclose()
        self._transports.clear()
