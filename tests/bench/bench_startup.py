"""Start-up benchmark: does Prospector open as fast as Textual itself? A report, not a test.

    python tests/bench/bench_startup.py [--size 250000] [--runs 7] [--rebuild]

Two programs, each a separate process started from nothing, run alternately so that
both see the same machine state:

* **bare**: a Textual app with a Header, a Label and a Footer, which exits as soon as
  its first screen has been painted;
* **today**: what ``prospector --db FILE`` does (``store_for_app``, then the app
  built with ``make_app``), on a database of ``--size`` actions, which exits as soon as
  the Today screen's load worker has delivered its figures and they have been painted.

The bar is on *interactive*: from starting the process to the first paint of the Today
screen, when its keys work (``b`` pressed before the figures arrive starts the block
as soon as they do). The store opens on a thread after that paint, so the figures
follow; the time to *figures painted* is printed beside it, as are the *whole
process*, to its exit (which adds the interpreter's tear-down), and the *CPU time*
used: neither is a bar, since Today does more work in total than a bare app by
design. Medians of ``--runs``. Both run headless at 120x40, so neither pays for a
terminal the other does not have. Today's child also reports when it reached each
phase, so a miss says where the time went. The database is the cached demo one
(``benchlib.benchmark_db``, ``generate_demo(actions=N)``, seed 7); the app runs on a
copy of it. ``python tests/bench`` runs this with the other benchmarks. Always exits 0:
read the result column.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

import benchlib
from benchlib import CACHE, BenchDB, Row

SIZE = 250_000
"""The size the bar below is set for."""
RUNS = {"runs": 7}
"""Runs of each program."""
QUICK = {"runs": 3}
BAR_RATIO = 1.5
GAUGE_WIDTH = 40

FIRST_FRAME = """
import time
from textual.app import App

_display = App._display

def first_frame(self, screen, renderable):
    # The moment a frame is handed to the terminal: the same instant for both programs,
    # whatever callbacks each has queued after its refresh.
    if renderable is not None and "first paint" not in self.marks:
        self.marks["first paint"] = time.time()
        self.marks["first screen"] = type(screen).__name__
        self.marks["keys shown"] = len(screen.active_bindings)
    return _display(self, screen, renderable)

App._display = first_frame
"""

BARE_APP = (
    FIRST_FRAME
    + """
import json, time
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label

class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Hello")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.painted)

    def painted(self) -> None:
        self.exit()

app = Bare()
app.marks = {}
app.run(headless=True, size=(120, 40))
print(json.dumps(app.marks))
"""
)

TODAY_APP = (
    """
import json, sys, time
marks = {"start": time.time()}
"""
    + FIRST_FRAME
    + """
from pathlib import Path
from prospector.opening import store_for_app
from screens.app import make_app
marks["imported"] = time.time()
store = store_for_app(Path(sys.argv[1]))
marks["store handed over"] = time.time()
app = make_app(store, store.clock)
app.marks = marks

def painted() -> None:
    marks["figures painted"] = time.time()
    app.exit()

def loaded(figures: object) -> None:
    if figures is not None and "figures loaded" not in marks:
        marks["figures loaded"] = time.time()
        app.call_after_refresh(painted)

def ready() -> None:
    app.watch(app.screen, "figures", loaded, init=True)

app.call_later(lambda: app.call_after_refresh(ready))
app.run(headless=True, size=(120, 40))
print(json.dumps(marks))
"""
)

PHASES = ("imported", "store handed over", "first paint", "figures loaded", "figures painted")


def child_env() -> dict[str, str]:
    """The children cache their bytecode, as an installed package has it compiled.

    A checkout run with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every
    module of ``prospector`` and ``screens`` from source at each start, a cost no
    installed copy pays. The cache goes under the temp folder, not into the checkout.
    """
    out = benchlib.env()
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    out["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    return out


@dataclass(frozen=True)
class Run:
    wall: float
    """Seconds from starting the process to its exit."""
    cpu: float
    """CPU seconds it used (user + system): steadier than wall time on a busy machine."""
    started_at: float
    """``time.time()`` when it was started, to place the child's own marks."""
    output: str


def timed(args: list[str]) -> Run:
    """Run one child process to its end, timing it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started_at = time.time()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], env=child_env(), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(elapsed, cpu, started_at, done.stdout)


def gauge(value: float, scale: float) -> str:
    """A row of ``#`` as long as ``value`` is on a ``scale``: the phases at a glance."""
    return "#" * max(1, round(GAUGE_WIDTH * value / scale))


def ratio_row(figure: str, size: int, bare_s: float, today_s: float, barred: bool) -> Row:
    """Today against the bare app; only the interactive ratio is held to the bar."""
    ratio = today_s / bare_s
    return Row(
        figure,
        size,
        f"{today_s * 1000:.0f} ms / {bare_s * 1000:.0f} ms = {ratio:.2f}x",
        f"<= {BAR_RATIO}x" if barred else benchlib.NO_BAR,
        ratio <= BAR_RATIO if barred else None,
    )


def figures(db: BenchDB, *, runs: int) -> list[Row]:
    """Both programs, alternately, on a copy of ``db``; the time lines printed on the way."""
    with benchlib.scratch_copy(db) as copy:
        bare_args = ["-c", BARE_APP]
        today_args = ["-c", TODAY_APP, str(copy)]
        timed(bare_args)  # warm the page cache and the bytecode caches of both
        timed(today_args)
        bare: list[Run] = []
        today: list[Run] = []
        for _ in range(runs):
            bare.append(timed(bare_args))
            today.append(timed(today_args))

    marks = [json.loads(run.output.strip().splitlines()[-1]) for run in today]
    first = marks[-1]
    print(f"Today's first frame: {first['first screen']}, {first['keys shown']} keys bound")
    ready = [m["figures painted"] - run.started_at for m, run in zip(marks, today, strict=True)]
    bare_ready = [
        json.loads(run.output.strip().splitlines()[-1])["first paint"] - run.started_at
        for run in bare
    ]
    interactive = [m["first paint"] - run.started_at for m, run in zip(marks, today, strict=True)]
    medians = [
        ("ready: bare app painted", statistics.median(bare_ready)),
        ("interactive: Today painted", statistics.median(interactive)),
        ("figures: Today's figures painted", statistics.median(ready)),
        ("whole process: bare app", statistics.median(r.wall for r in bare)),
        ("whole process: Today", statistics.median(r.wall for r in today)),
        ("CPU: bare app", statistics.median(r.cpu for r in bare)),
        ("CPU: Today", statistics.median(r.cpu for r in today)),
    ]
    scale = max(seconds for _, seconds in medians) * 1.05
    print(f"Median of {runs} runs of each, alternating (gauges to one scale):")
    for label, seconds in medians:
        print(f"  {label:<32} {seconds * 1000:6.0f} ms  {gauge(seconds, scale)}")
    print("Where Today's time goes (median instant after its process was started):")
    for phase in PHASES:
        seconds = statistics.median(
            m[phase] - r.started_at for m, r in zip(marks, today, strict=True)
        )
        print(f"  {phase:<32} {seconds * 1000:6.0f} ms  {gauge(seconds, scale)}")

    times = dict(medians)
    of = f"median of {runs}"
    return [
        ratio_row(
            f"cold start: interactive Today (first frame) / bare Textual app, {of}",
            db.size,
            times["ready: bare app painted"],
            times["interactive: Today painted"],
            True,
        ),
        ratio_row(
            "  cold start: Today's figures painted / bare app's first frame",
            db.size,
            times["ready: bare app painted"],
            times["figures: Today's figures painted"],
            False,
        ),
        ratio_row(
            "  whole process, start to exit: Today / bare app",
            db.size,
            times["whole process: bare app"],
            times["whole process: Today"],
            False,
        ),
        ratio_row(
            "  CPU time: Today / bare app",
            db.size,
            times["CPU: bare app"],
            times["CPU: Today"],
            False,
        ),
    ]


if __name__ == "__main__":
    sys.exit(benchlib.script(__doc__, SIZE, figures, RUNS))
