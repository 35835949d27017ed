"""A full pass of Python's cycle collector at a moment the rep is waiting anyway.

Reading every prospect's summary makes some 80,000 long-lived objects on a rep's years.
Python's collector then runs full passes over the whole heap whenever allocations happen
to trigger one: on the next screen switch, or in the middle of a block, 100 to 300 ms
each during which the app does nothing. Running the pass right after the read, in the
same worker, puts it inside the wait for the list; freezing what is alive then keeps
the passes that follow short.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Sequence

LARGE = 10_000
"""Rows read from which a full pass pays: below it, the pass is short wherever it falls."""

_last: weakref.ref[object] | None = None
"""The first row of the last list frozen: the store hands the same rows to the next
screen that reads the whole list, and those need no second pass."""
_lock = threading.Lock()


def collect_after_read(rows: Sequence[object]) -> None:
    """After a read of ``rows``, long-lived, on the worker thread that read them: a full
    pass, then everything still alive is frozen out of the collector's reach
    (``gc.freeze``, as the app does once its code is loaded), so that later passes walk
    only what came after. Each such pass first unfreezes what an earlier one froze, so
    what has died since in a cycle is collected then, not kept for good."""
    global _last
    if len(rows) < LARGE or not gc.isenabled():
        return
    with _lock:
        if _last is not None and _last() is rows[0]:
            # Rows already passed over: only what was made from them since is frozen
            # (until the next full pass unfreezes it again).
            gc.freeze()
            return
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        _last = weakref.ref(rows[0])
