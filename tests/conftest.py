"""Shared fixtures: a fixed clock, a temporary data directory, and an app factory."""

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion.config import Settings
from companion.content.loader import load_library
from companion.paths import ensure_data_dir
from companion.services.content_sources import content_dirs
from companion.store import Store, open_store
from companion.ui.app import CompanionApp

from .links.server import Server

START = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.current = now

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@contextlib.contextmanager
def local_zone(name: str) -> Iterator[None]:
    """Run in this time zone (for fixtures wider than one test, which monkeypatch is not)."""
    import time

    old = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        os.environ.pop("TZ") if old is None else os.environ.update(TZ=old)
        time.tzset()


@pytest.fixture(autouse=True)
def _own_user_folders(monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> None:
    """The user's state and configuration folders (the list of synced folders, the machine
    id) are the test's own: a test never reads or writes the real ones."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture(autouse=True)
def _fixed_timezone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Local days and weeks are computed in UTC so results do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return ensure_data_dir(tmp_path / "data")


@pytest.fixture
def settings() -> Settings:
    """Defaults, without interval fuzz so screens are repeatable, no link check at start (the
    bundled roadmaps link to the internet, which tests never reach), and no question about
    time away (a test's clock jumps are not absences; the tests of that question turn it on)."""
    return replace(Settings(), enable_fuzzing=False, check_links_on_start=False, idle_minutes=0)


@pytest.fixture
def make_app(
    data_dir: Path, settings: Settings, clock: FakeClock
) -> Iterator[Callable[..., CompanionApp]]:
    """Build an app on the data directory; each call opens the store anew, as a restart does."""
    stores: list[Store] = []

    def factory(
        pane: str | None = None,
        app_class: type[CompanionApp] = CompanionApp,
        bundled: bool = True,
        **overrides,
    ) -> CompanionApp:
        for store in stores:
            store.close()
        chosen = replace(settings, **overrides)
        store = open_store(data_dir, settings=chosen)
        stores.append(store)
        library = load_library(content_dirs(data_dir) if bundled else [data_dir])
        return app_class(store=store, library=library, settings=chosen, pane=pane, clock=clock)

    yield factory
    for store in stores:
        store.close()


@pytest.fixture
def server() -> Iterator[Server]:
    """The behaviour server (tests/links/server.py) on 127.0.0.1, stopped after the test."""
    running = Server()
    yield running
    running.stop()
