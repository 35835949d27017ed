"""Opening the store while the app paints its first screen.

Importing the ORM (SQLAlchemy, SQLModel, pydantic) costs more than drawing the whole
Today screen. When the database file is already current, nothing about opening it can
fail in a way the rep must read before the app starts, so the app is handed a
``DeferredStore``: it paints first and the store opens on a thread meanwhile. Any other
file (new, older schema, damaged, foreign) is opened up front, so its errors and
backups happen before the terminal is taken over.

Only ``sqlite3`` and the standard library are imported here.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prospector.clock import Clock, default_clock
from prospector.db import is_current, read_setting

if TYPE_CHECKING:
    from prospector.store import Store


class DeferredStore:
    """A ``Store`` that is being opened: every attribute but ``clock`` waits for it.

    Screens read the store in worker threads, so waiting there costs the UI nothing;
    ``begin`` is called once the first frame is on screen, so the import does not
    compete with it for the interpreter.
    """

    def __init__(self, path: Path, clock: Clock | None = None) -> None:
        self.path = path
        self.clock = clock or default_clock()
        self._lock = threading.Lock()
        self._opened = threading.Event()
        self._thread: threading.Thread | None = None
        self._store: Store | None = None
        self._error: BaseException | None = None

    def begin(self) -> None:
        """Start opening the store on a thread (once; later calls do nothing)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._open, name="prospector-open-store", daemon=True
                )
                self._thread.start()

    def _open(self) -> None:
        try:
            from prospector.store import Store

            self._store = Store.open(self.path, clock=self.clock)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits
            self._error = exc
        finally:
            self._opened.set()

    def wait(self) -> Store:
        """The open store, once it is; re-raises what stopped it from opening."""
        self.begin()
        self._opened.wait()
        if self._error is not None:
            raise self._error
        assert self._store is not None
        return self._store

    def saved_setting(self, key: str) -> str | None:
        """A stored setting read straight from the file, without waiting for the store."""
        if self._store is not None:
            return self._store.stored_settings().get(key)
        return read_setting(self.path, key)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wait(), name)


def store_for_app(path: Path, clock: Clock | None = None) -> Store | DeferredStore:
    """The store the app runs on: deferred when ``path`` is current, else opened now
    (creating, upgrading after a backup, or refusing the file with a clear error)."""
    path = Path(path).expanduser()  # the watch and the store must look at the same file
    if is_current(path):
        return DeferredStore(path, clock)
    from prospector.store import Store

    return Store.open(path, clock=clock)
