import gc

from companion.startup import pause_collection, settle_after_first_paint


def test_collection_is_paused_while_loading_and_settled_after_the_first_paint():
    assert gc.isenabled()
    frozen_before = gc.get_freeze_count()
    pause_collection()
    try:
        assert not gc.isenabled()
        loaded = [[index] for index in range(1000)]  # what start-up loads, kept alive
    finally:
        settle_after_first_paint()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(loaded)
    gc.unfreeze()


def test_settling_without_a_pause_changes_nothing():
    frozen_before = gc.get_freeze_count()
    settle_after_first_paint()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen_before
