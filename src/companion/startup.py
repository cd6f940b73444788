"""The garbage collector during start-up: paused while the collection loads, then settled.

Loading 50,000 cards and their records allocates a few hundred thousand objects; each of
CPython's cyclic collections walks every object alive, so at start-up the collector alone
took about a quarter of the time to the first card, while finding almost nothing to free.
"""

import gc

_paused = False


def pause_collection() -> None:
    """Stop cyclic garbage collection until `settle_after_first_paint`.

    Reference counting still frees everything that is not in a cycle.
    """
    global _paused
    _paused = gc.isenabled()
    gc.disable()


def settle_after_first_paint() -> None:
    """Turn the collector back on, with what start-up loaded set aside for good.

    `gc.freeze` moves every object alive now (the collection, the widgets) out of the
    collector's reach, so the collections that run later, between answers, stay short.
    Does nothing unless `pause_collection` paused it (an app started by tests, say).
    """
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
