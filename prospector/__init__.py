"""Prospector's core: models, store, clock, status math and the headless CLI.

Nothing in this package imports Textual, so every figure the app shows can be
computed by scripts, tests and the command line without a terminal UI.
"""

__version__ = "0.1.0"
