"""SIGTERM and SIGHUP quit the app cleanly: the terminal is restored, nothing is lost.

The app runs in a real pseudo-terminal (not headless), as it does for a rep.
"""

from __future__ import annotations

import os
import pty
import signal
import sys
import time
from pathlib import Path

import pytest

from prospector.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and ptys")

LEAVE_ALT_SCREEN = b"\x1b[?1049l"


def read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    out = b""
    deadline = time.monotonic() + timeout
    while needle not in out and time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child has gone: the pty reports EIO
            break
        if not chunk:
            break
        out += chunk
    return out


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_quits_the_app_and_gives_the_terminal_back(
    tmp_path: Path, sig: signal.Signals
) -> None:
    db = tmp_path / "p.db"
    store = Store.open(db)
    store.log_action("call")
    store.close()
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "TERM": "xterm-256color"}
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the app
        os.execve(sys.executable, [sys.executable, "-m", "screens", "--db", str(db)], env)
    try:
        shown = read_until(fd, b"Start a block", timeout=30)
        assert b"Start a block" in shown, "the app should be up before the signal"
        os.kill(pid, sig)
        rest = read_until(fd, b"\x00never", timeout=15)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.WIFEXITED(status), "quit, not killed by the signal"
    assert os.WEXITSTATUS(status) == 0
    assert LEAVE_ALT_SCREEN in rest, "the terminal's normal screen is given back"
    again = Store.open(db)
    assert again.action_count() == 1
    again.close()
