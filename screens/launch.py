"""The installed ``prospector`` command: the core's CLI, opening this app when no
subcommand is given.

The core (``prospector.cli``) never imports the UI; this module hands it the app.
Nothing here imports Textual at module level, so ``prospector log`` stays headless.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prospector.store import Store


def main(argv: Sequence[str] | None = None) -> int:
    from prospector.cli import main as cli_main

    return cli_main(argv, open_app=open_app)


def open_app(store: Store) -> int:
    """Run the app on ``store`` until the rep quits."""
    import gc

    from screens.app import make_app

    app = make_app(store, store.clock)
    # Everything imported so far lives as long as the process: keep the collector
    # from walking it again and again while the rep works (faster start and quit).
    gc.freeze()
    app.run()
    return 0
