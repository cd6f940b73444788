"""The link checker against a real server on 127.0.0.1, one test per verdict and case."""

import asyncio
import socket
import time

import httpx

from companion.links.checker import CheckSettings, LinkChecker, retry_after_seconds

FAST = CheckSettings(timeout_s=0.5, backoff_s=0.01, retries=2)


async def check(*urls: str, settings: CheckSettings = FAST, waits: list | None = None):
    async def sleep(seconds: float) -> None:
        if waits is not None:
            waits.append(seconds)
        await asyncio.sleep(0)

    async with httpx.AsyncClient() as client:
        checker = LinkChecker(client, settings, sleep=sleep)
        return await checker.check_many(urls), checker


async def test_ok_and_head_refused_falls_back_to_get(server):
    results, _ = await check(f"{server.base}/ok", f"{server.base}/head-refused")
    assert [r.verdict for r in results.values()] == ["ok", "ok"]
    assert (
        server.hits[("HEAD", "/head-refused")] == 1 and server.hits[("GET", "/head-refused")] == 1
    )


async def test_429_with_retry_after_then_200_is_ok_and_the_wait_is_honoured(server):
    waits: list[float] = []
    results, _ = await check(f"{server.base}/retry-after", waits=waits)
    assert results[f"{server.base}/retry-after"].verdict == "ok"
    assert waits and waits[0] == 1.0


async def test_retry_after_is_capped_at_a_minute_and_read_as_a_date(server):
    assert retry_after_seconds("120", 0) == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480.0) == 0
    assert retry_after_seconds("soon", 0) is None
    waits: list[float] = []
    results, _ = await check(f"{server.base}/retry-long", waits=waits)
    assert waits == [60, 60]  # asked for two hours; two retries of at most 60 s each
    assert results[f"{server.base}/retry-long"].verdict == "blocked"


async def test_redirect_chain_gives_the_final_url_and_a_loop_is_broken(server):
    results, _ = await check(f"{server.base}/redirect/3", f"{server.base}/loop-a")
    chain = results[f"{server.base}/redirect/3"]
    assert (chain.verdict, chain.final_url) == ("redirected", f"{server.base}/ok")
    loop = results[f"{server.base}/loop-a"]
    assert loop.verdict == "broken" and "redirect loop" in loop.error


async def test_a_server_slower_than_the_timeout_is_retried_then_broken(server):
    started = time.monotonic()
    results, _ = await check(f"{server.base}/slow")
    result = results[f"{server.base}/slow"]
    assert (result.verdict, result.error) == ("broken", "timed out")
    assert server.hits["/slow"] == 3  # first try and two retries
    assert time.monotonic() - started < 5


async def test_a_huge_body_is_not_downloaded(server):
    started = time.monotonic()
    results, _ = await check(f"{server.base}/huge")
    assert results[f"{server.base}/huge"].verdict == "ok"
    assert time.monotonic() - started < 2
    await asyncio.sleep(0.3)
    assert server.hits["huge-bytes"] < 5 * 1024 * 1024  # of 500 MB


async def test_fragments_in_html_and_markdown(server):
    urls = [
        f"{server.base}/page.html#present",
        f"{server.base}/page.html#named",
        f"{server.base}/page.html#missing",
        f"{server.base}/doc.md#getting-started-2-months",
        f"{server.base}/doc.md#nope",
    ]
    results, _ = await check(*urls)
    assert [results[u].verdict for u in urls] == ["ok", "ok", "broken", "ok", "broken"]
    assert results[urls[2]].error == "missing fragment #missing"
    assert all(results[u].fragment_checked for u in urls)


async def test_non_ascii_percent_encoded_and_github_fragments_are_found(server):
    """As lychee: fragments are compared after percent-decoding; as GitHub, #x finds the id
    user-content-x its rendered pages carry. A missing one says so, with no 'now at'."""
    found = [
        f"{server.base}/unicode.html#été",
        f"{server.base}/unicode.html#%C3%A9t%C3%A9",
        f"{server.base}/unicode.html#getting-started",
        f"{server.base}/unicode.html#user-content-getting-started",
        f"{server.base}/notes.md#été-à-paris",
        f"{server.base}/notes.md#%C3%A9t%C3%A9-%C3%A0-paris",
    ]
    missing = f"{server.base}/unicode.html#%C3%A9t%C3%A9-2"
    results, _ = await check(*found, missing)
    assert {u: results[u].verdict for u in found} == dict.fromkeys(found, "ok")
    assert results[missing].verdict == "broken"
    assert results[missing].error == "missing fragment #été-2"
    assert results[missing].final_url is None


async def test_blocked_is_not_broken(server):
    results, _ = await check(f"{server.base}/forbidden", f"{server.base}/rate-limited")
    assert [(r.verdict, r.status) for r in results.values()] == [("blocked", 403), ("blocked", 429)]


async def test_not_found_and_server_errors_are_broken_with_their_status(server):
    results, _ = await check(f"{server.base}/missing", f"{server.base}/server-error")
    assert [(r.verdict, r.status) for r in results.values()] == [("broken", 404), ("broken", 500)]
    # HEAD once; refused, so GET, and GET alone on the two retries (#15.15)
    assert server.hits[("HEAD", "/server-error")] == 1
    assert server.hits[("GET", "/server-error")] == 3


async def test_a_refused_port_is_broken(server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    results, _ = await check(url, f"{server.base}/ok")
    assert (results[url].verdict, results[url].error) == ("broken", "connection refused")


async def test_a_url_listed_many_times_is_checked_once(server):
    url = f"{server.base}/ok"
    results, checker = await check(url, url, url, url)
    assert len(results) == 1 and server.hits["/ok"] == 1 and checker.requests == 1


async def test_mailto_and_tel_are_skipped(server):
    results, checker = await check("mailto:me@example.org", "tel:+123", f"{server.base}/ok")
    assert [r.verdict for r in results.values()] == ["skipped", "skipped", "ok"]
    assert checker.requests == 1


async def test_requests_per_host_stay_within_the_bound(server):
    settings = CheckSettings(per_host=3, timeout_s=5, retries=0)
    urls = [f"{server.base}/ok?n={n}" for n in range(30)]
    results, checker = await check(*urls, settings=settings)
    assert all(r.verdict == "ok" for r in results.values())
    assert max(checker.max_in_flight.values()) <= 3


async def test_requests_to_one_host_are_spaced_by_the_minimum_interval(server):
    settings = CheckSettings(per_host=6, host_interval_s=0.05, timeout_s=5, retries=0)
    urls = [f"{server.base}/ok?n={n}" for n in range(6)]
    results, _ = await check(*urls, settings=settings)
    assert all(r.verdict == "ok" for r in results.values())
    starts = sorted(t for path, t in server.starts if path == "/ok")
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    assert len(starts) == 6 and min(gaps) >= 0.045
