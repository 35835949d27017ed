"""The suite passes on any date and in any time zone.

Every test runs at the tests' clock (Monday 23 November 2026, 10:00 in Amsterdam), and
so must every process a test starts. This runs a representative part of the suite,
children included, with the real clock moved to another date and the machine in a
zone fourteen hours ahead of UTC, where the local day is not the UTC day.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prospector.clock import TEST_CLOCK_ENV

ROOT = Path(__file__).resolve().parents[2]
REAL_CLOCK = "2031-02-28T11:30:00+00:00"
ZONE = "Pacific/Kiritimati"
PART = [
    # a `prospector log` process next to the open app
    "tests/ui/test_database_file.py::test_today_shows_a_call_logged_from_another_process",
    "tests/ui/test_database_file.py::test_a_dialog_is_not_taken_over_and_today_follows_once_it_closes",
    "tests/ui/test_database_file.py::test_a_running_block_counts_calls_logged_elsewhere",
    "tests/unit/test_time.py",
    "tests/snapshots/test_snapshots.py",  # every date the main screens print
]


def moved_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop(TEST_CLOCK_ENV, None)  # the tests' conftest sets it again, as in a plain run
    env["PROSPECTOR_REAL_CLOCK_AT"] = REAL_CLOCK
    env["TZ"] = ZONE
    paths = [str(ROOT / "tests" / "other_clock"), str(ROOT), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return env


def test_the_real_clock_is_moved_for_every_process() -> None:
    code = "import datetime, time; print(datetime.date.today(), time.strftime('%Z'))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=moved_env(), capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["2031-03-01", "+14"]


def test_part_of_the_suite_passes_on_another_date_and_in_another_zone() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-p", "no:cacheprovider", "-q", *PART],
        cwd=ROOT,
        env=moved_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
