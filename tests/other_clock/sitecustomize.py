"""Moves the real clock of every Python process that has this folder on its path.

``test_any_clock`` runs part of the suite with ``PROSPECTOR_REAL_CLOCK_AT`` set and this
folder first on ``PYTHONPATH``, so pytest and every process it starts (a ``prospector
log`` in a "second terminal", the crash and signal tests' children) see another real
date. A test that still reads the real date instead of the tests' clock then fails.
"""

import os

_AT = os.environ.get("PROSPECTOR_REAL_CLOCK_AT")
if _AT:
    import time_machine

    time_machine.travel(_AT, tick=True).start()
