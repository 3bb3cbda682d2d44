"""Holding back Python's cyclic garbage collector through a burst of long-lived objects.

Its own module, free of imports, so the command line can pause the collector before it
imports anything heavy.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Hold back Python's cyclic garbage collector while a store is built.

    Loading allocates one burst of long-lived objects (the parsed JSON, a model per record,
    the indexes), and the collector, triggered by the count of allocations, would traverse
    the growing heap again and again for garbage that is not there: a fifth of a cold
    ``stormchat ask``, and most of the load time of a store of thousands of patients. It is
    switched back on (if it was on) however the load ends.

    With ``freeze`` (start-up: the command line's parser, stormchat's modules, the engine)
    what exists is moved out of the collector's sight before it is switched back on, or the
    collection held back would only run at the next allocation over the whole heap."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
