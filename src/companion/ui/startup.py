"""The garbage collector during start-up: paused while the collection loads, then settled.

Loading 50,000 cards and their records allocates a few hundred thousand objects; each of
CPython's cyclic collections walks every object alive, so at start-up the collector alone
took about a quarter of the time to the first card, while finding almost nothing to free.
"""

import gc

_managed = False


def pause_collection() -> None:
    """Stop cyclic garbage collection until `settle_after_first_paint`.

    Reference counting still frees everything that is not in a cycle.
    """
    global _managed
    _managed = gc.isenabled()
    gc.disable()


def settle_after_first_paint() -> None:
    """Turn the collector back on, with what start-up loaded set aside for good.

    `gc.freeze` moves every object alive now (the collection, the widgets) out of the
    collector's reach, so the collections that run later, between answers, stay short.
    Does nothing unless `pause_collection` paused it (an app started by tests, say).
    """
    if _managed:
        gc.freeze()
        gc.enable()


def set_aside_late_loads() -> None:
    """Set aside what start-up finished loading after the first frame (the unpacked decks):
    left in the collector's generations, it made each full collection take three times as
    long, and they ran during answers."""
    if _managed:
        gc.freeze()
