"""`companion serve` behind its token, against the real server process on 127.0.0.1: no
request or websocket gets in without the token, the token moves from the URL to an HttpOnly,
SameSite=Strict cookie, a websocket from another origin is refused, failed attempts are
limited, no static path reads outside the package's assets, and a session in use goes on
through an attack."""

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from ..web_server import TOKEN, free_port, serving


@pytest.fixture
def served(tmp_path: Path):
    with serving(tmp_path / "data") as running:
        yield running


async def test_nothing_gets_in_without_the_token(served):
    base, line, _ = served
    assert line == f"{base}/?token={TOKEN}"
    # a jar that keeps cookies of an address (as a browser does for 127.0.0.1)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(f"{base}/") as page:
            assert page.status == 401
        async with browser.get(f"{base}/?token=wrong") as page:
            assert page.status == 401
        async with browser.get(f"{base}/?token={TOKEN}", allow_redirects=False) as page:
            assert page.status == 302 and page.headers["Location"] == "/"
            cookie = page.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        async with browser.get(f"{base}/") as page:  # the cookie now
            assert page.status == 200 and "ws://127.0.0.1" in await page.text()
        async with browser.get(f"{base}/static/") as listing:
            assert listing.status == 403  # no folder listings
        for sneaky in ("/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/server.py"):
            async with browser.get(base + sneaky) as outside:
                assert outside.status in (403, 404), sneaky
    async with aiohttp.ClientSession() as stranger, stranger.get(f"{base}/static/") as asset:
        assert asset.status == 403  # no cookie: not even the assets


async def test_a_websocket_needs_the_token_and_the_server_s_own_origin(served):
    base, _, _ = served
    ws_url = base.replace("http", "ws") + "/ws?width=80&height=24"
    jar = {"Cookie": f"companion_token={TOKEN}"}
    async with aiohttp.ClientSession() as browser:
        for headers in ({"Origin": "http://evil.example"}, {"Origin": base},
                        {**jar, "Origin": "http://evil.example"}, jar):  # fmt: skip
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await browser.ws_connect(ws_url, headers=headers)
            assert refused.value.status == 403
        session = await browser.ws_connect(ws_url, headers={**jar, "Origin": base})
        first = await asyncio.wait_for(session.receive(), timeout=20)  # the app's first frame
        assert first.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
        await session.close()


async def test_an_attack_is_refused_and_the_session_in_use_goes_on(served):
    base, _, process = served
    ws_url = base.replace("http", "ws") + "/ws?width=80&height=24"
    headers = {"Cookie": f"companion_token={TOKEN}", "Origin": base}
    async with aiohttp.ClientSession() as learner:
        session = await learner.ws_connect(ws_url, headers=headers)
        await asyncio.wait_for(session.receive(), timeout=20)  # the app is up for the learner
        async with aiohttp.ClientSession() as attacker:
            statuses = []
            for attempt in range(200):
                async with attacker.get(f"{base}/?token=guess-{attempt}") as page:
                    statuses.append(page.status)
            for _ in range(50):
                try:
                    await attacker.ws_connect(ws_url, headers={"Origin": "http://evil.example"})
                    statuses.append(101)
                except aiohttp.WSServerHandshakeError as refused:
                    statuses.append(refused.status)
        assert set(statuses) <= {401, 403, 429} and statuses.count(429) >= 200
        # the learner's session is the same process as before, and still answers
        await session.send_json(["ping", "still-there"])
        started = time.monotonic()
        pong = None
        while time.monotonic() - started < 10:
            message = await asyncio.wait_for(session.receive(), timeout=10)
            if message.type == aiohttp.WSMsgType.TEXT and "still-there" in message.data:
                pong = message.data
                break
        assert pong is not None
        await session.close()
    assert process.poll() is None


def test_a_host_beyond_this_machine_is_warned_of(tmp_path: Path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "companion", "--data-dir", str(tmp_path / "data"), "serve",
         "--host", "0.0.0.0", "--port", str(port), "--token", TOKEN],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        url = process.stdout.readline().strip()
        assert url == f"http://127.0.0.1:{port}/?token={TOKEN}"
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    warning = [line for line in err.splitlines() if "anyone on the network" in line]
    assert len(warning) == 1 and "0.0.0.0" in warning[0]
