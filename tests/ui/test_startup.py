import gc

import pytest

from companion.ui import startup


@pytest.fixture(autouse=True)
def _restore_collector(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(startup, "_managed", False)
    yield
    gc.enable()
    gc.unfreeze()


def test_collection_is_paused_while_loading_and_settled_after_the_first_paint():
    assert gc.isenabled()
    frozen_before = gc.get_freeze_count()
    startup.pause_collection()
    assert not gc.isenabled()
    loaded = [[index] for index in range(1000)]  # what start-up loads, kept alive
    startup.settle_after_first_paint()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(loaded)
    late = [[index] for index in range(1000)]  # unpacked after the first frame
    startup.set_aside_late_loads()
    assert gc.get_freeze_count() >= frozen_before + len(loaded) + len(late)


def test_without_a_pause_nothing_is_frozen():
    frozen_before = gc.get_freeze_count()
    startup.settle_after_first_paint()
    startup.set_aside_late_loads()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen_before
