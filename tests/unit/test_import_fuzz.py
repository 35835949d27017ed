"""Fuzz the import with seeded mutations of real exports of a small demo database.

Every format the import reads (our CSV, the Excel CSV, JSON Lines, the full dump and a
foreign CSV read through ``--map``) is cut short, re-encoded, given or stripped of byte
order marks, other delimiters, missing, extra and renamed columns, stray quotes,
formulas, dates and numbers at and past every bound, repeated and dropped rows, and
binary garbage. Each case runs through ``prospector.cli.main`` in-process, and:

- exits 0 or 2, never with a traceback (any other exception is a failure), and never
  with a database error dressed as a message;
- the dry run and the import agree: both accept, or both refuse with the same message;
- a refused import changes no row (a checksum of every table before and after);
- an accepted one passes ``db check`` and every read command.

A few hundred cases run in the normal suite; ``PROSPECTOR_FUZZ_CASES=5000`` runs more
(spread over the five formats), ``PROSPECTOR_FUZZ_SEED`` picks other ones.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import random
import shutil
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pendulum
import pytest
from tests_support import checksum

from prospector.cli import main
from prospector.clock import FixedClock
from prospector.demo import generate_demo
from prospector.store import Store

NOW = pendulum.datetime(2026, 11, 23, 10, 0, tz="Europe/Amsterdam")
CASES = int(os.environ.get("PROSPECTOR_FUZZ_CASES", "200"))
SEED = int(os.environ.get("PROSPECTOR_FUZZ_SEED", "1212"))
FORMATS = ("csv", "excel", "jsonl", "dump", "foreign")
FOREIGN_MAP = (
    "date=Datum,time=Tijd,kind=Soort,outcome=Uitkomst,prospect=Klant,company=Bedrijf,"
    "minutes=Duur,note=Notitie,next_step_on=Volgende"
)
READS = (
    ("status", "--json"),
    ("forecast", "--json"),
    ("review", "--format", "json"),
    ("followups", "--json"),
    ("limbo", "--json"),
    ("export", "--format", "csv"),
    ("export", "--format", "json"),
)

DATES = [
    "1970-01-01",
    "1969-12-31",
    "2199-12-31",
    "2200-01-01",
    "0001-01-01",
    "9999-12-31",
    "2026-02-29",
    "2024-02-29",
    "2026-13-01",
    "26-11-23",
    "20261123",
    "2026-W48-1",
    "2026-10-25",
    "",
]
INSTANTS = [
    "1970-01-01T00:00:00.000000Z",
    "1969-12-31T23:59:59.999999Z",
    "2199-12-31T23:59:59.999999Z",
    "2200-01-01T00:00:00.000000Z",
    "9999-12-31T23:00:00-01:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59.999999Z",
    "2026-10-25T00:30:00Z",
    "2026-10-25T02:30:00+01:00",
    "2026-11-23T09:00:00",
    "2026-11-23T25:00:00.000000Z",
    "x",
]
TIMES = ["02:30", "02:30:00", "25:00", "12:60", "2:30 PM", "13:00 PM", "00:00", "23:59:59", ""]
SHORT_DATES = ["31-12-2199", "01-01-2200", "01-01-1970", "31-12-1969", "13/13/2026", "29-02-2026"]
NUMBERS = [
    "0",
    "-1",
    "1440",
    "1441",
    "1e30",
    "1" + "0" * 30,
    "9223372036854775808",
    "NaN",
    "Infinity",
    "1.5",
    "0,5",
    "",
    " 15 ",
]
TEXTS = [
    "=SUM(A1)",
    "'=1+1",
    "+31 6 1234",
    "-1",
    "@cmd",
    '"',
    'a "quoted" word',
    "a,b;c\td|e",
    "line\r\nbreak",
    "nul\x00byte",
    "Zoë",
    "ZOË",
    "Zoe\u0308",
    "STRASSE",
    "Straße",
    "\u200b",
    "\U0001f4a5",
    " Ann ",
    "x" * 3000,
]
ZONES = ["Europe/Amsterdam", "UTC", "Etc/GMT+12", "Pacific/Kiritimati", "Mars/Olympus", "local", ""]
WORDS = ["call", "Call", "e-mail", "visit", "fax", "no_response", "next step", "meeting", "stop"]
JSON_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1,
    1440,
    1441,
    2**53,
    2**63,
    10**20,
    1e30,
    float("nan"),
    1.5,
    "",
    " ",
    "x",
    "\ud800",
    [],
    {},
    "Europe/Amsterdam",
    "Mars/Olympus",
    "EUR",
    "eur",
    "2026-W53",
    "2026-W54",
    "cold",
    "won",
    *DATES[:8],
    *INSTANTS[:8],
]


@dataclass
class Case:
    """One mutated file, how to import it, and what was done to it (for the report)."""

    fmt: str
    data: bytes
    args: list[str] = field(default_factory=list)
    target: str = "empty"
    steps: list[str] = field(default_factory=list)


@dataclass
class Base:
    """The exports of the demo database, and the databases to import into."""

    folder: Path
    files: dict[str, bytes]
    empty: Path
    full: Path


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    folder = tmp_path_factory.mktemp("fuzz")
    full = folder / "full.db"
    store = Store.open(full, clock=FixedClock(NOW))
    store.set_setting("timezone", "Europe/Amsterdam")
    generate_demo(store, seed=11, actions=60)
    store.add_prospect("Straße GmbH")
    store.set_target("call", 12, "day", NOW.date())
    store.save_reflection("2026-W46", went_well="Calls before ten", commitments="Ask for referrals")
    store.close()
    empty = folder / "empty.db"
    Store.open(empty, clock=FixedClock(NOW)).close()
    files: dict[str, bytes] = {}
    for fmt, args in (
        ("csv", ["--format", "csv"]),
        ("excel", ["--format", "csv", "--excel"]),
        ("jsonl", ["--format", "jsonl"]),
        ("dump", ["--format", "json"]),
    ):
        out = folder / f"base.{fmt}"
        code, _, err = call(full, "export", *args, "-o", str(out))
        assert code == 0, err
        files[fmt] = out.read_bytes()
    files["foreign"] = foreign_of(files["csv"])
    return Base(folder, files, empty, full)


def foreign_of(ours: bytes) -> bytes:
    """A foreign CSV (Dutch headers, day-first dates, ';', Windows-1252) of our export."""
    rows = list(csv.DictReader(io.StringIO(ours.decode("utf-8-sig"), newline="")))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["Datum", "Tijd", "Soort", "Uitkomst", "Klant", "Bedrijf", "Duur", "Notitie", "Volgende"]
    )
    for row in rows:
        day = row["date"]
        nxt = row["next_step_on"]
        writer.writerow(
            [
                f"{day[8:10]}-{day[5:7]}-{day[0:4]}",
                row["time"][:5],
                row["kind"],
                row["outcome"],
                row["prospect"],
                row["company"],
                row["minutes"],
                row["note"],
                f"{nxt[8:10]}-{nxt[5:7]}-{nxt[0:4]}" if nxt else "",
            ]
        )
    return out.getvalue().encode("cp1252", errors="replace")


# --- running the CLI ------------------------------------------------------------------------


def call(db: Path, *args: str) -> tuple[int, str, str]:
    """``prospector --db DB ARGS`` in-process: (exit status, stdout, stderr). Any exception
    but ``SystemExit`` escapes: that is the traceback a rep would see."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # tests' clock
        try:
            code = main(["--db", str(db), *args])
        except SystemExit as exc:  # argparse refusing a flag
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def message_of(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("prospector: ")]
    return lines[-1] if lines else ""


def first_reject(message: str) -> str | None:
    """``line N: reason`` of an ``ImportRejected`` message, else None."""
    for marker in (" rejected (", " rejected, the first on "):
        if marker in message:
            rest = message.split(marker, 1)[1]
            return rest.split("; nothing was imported", 1)[0].removesuffix(")")
    return None


def check(case: Case, base: Base, work: Path, verified: set[str]) -> str | None:
    """Run one case; the first broken promise as text, or None."""
    db = work / "case.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base.full if case.target == "full" else base.empty, db)
    path = work / {"dump": "case.json", "jsonl": "case.jsonl"}.get(case.fmt, "case.csv")
    path.write_bytes(case.data)
    before = checksum(db)
    dry_code, dry_out, dry_err = call(db, "import", str(path), "--dry-run", *case.args)
    if dry_code not in (0, 2):
        return f"dry run exited {dry_code}: {dry_err[-300:]}"
    if checksum(db) != before:
        return "the dry run changed the database"
    code, out, err = call(db, "import", str(path), *case.args)
    if code not in (0, 2):
        return f"import exited {code}: {err[-300:]}"
    for text in (dry_err, err):
        if "database error" in text or "cannot use the database" in text:
            return f"a database error reached the rep: {message_of(text)}"
    if dry_code != code:
        return (
            f"dry run exited {dry_code} but the import {code}: dry {message_of(dry_err)!r} "
            f"{dry_out[-300:]!r}; import {message_of(err)!r}"
        )
    if code == 2:
        if checksum(db) != before:
            return f"a refused import changed the database: {message_of(err)}"
        message = message_of(err)
        if not message:
            return f"refused without a message: {err[-300:]!r}"
        reject = first_reject(message)
        if reject is not None:
            if reject not in dry_out:
                return f"the import refused {reject!r}, which the dry run did not list"
        elif message_of(dry_err) != message:
            return f"dry run said {message_of(dry_err)!r}, the import {message!r}"
        return None
    after = checksum(db)
    if after in verified:
        return None  # the same data was read back by an earlier case
    code, out, err = call(db, "db", "check")
    if code != 0:
        return f"db check failed after an accepted import: {out[-300:]} {err[-300:]}"
    for args in READS:
        try:
            code, out, err = call(db, *args)
        except Exception:
            return f"{' '.join(args)} crashed after an accepted import:\n{traceback.format_exc()}"
        if code != 0:
            return f"{' '.join(args)} exited {code} after an accepted import: {err[-300:]}"
    verified.add(after)
    return None


# --- mutations ------------------------------------------------------------------------------


def pool_for(column: str) -> list[str]:
    lowered = column.lower()
    if lowered in ("at_utc",):
        return INSTANTS + DATES
    if lowered in ("date", "datum", "next_step_on", "volgende"):
        return DATES + SHORT_DATES + INSTANTS[:6]
    if lowered in ("time", "tijd"):
        return TIMES
    if lowered in ("minutes", "duur"):
        return NUMBERS
    if lowered in ("timezone",):
        return ZONES
    if lowered in ("kind", "soort", "outcome", "uitkomst"):
        return WORDS + ["", "=1+1"]
    if lowered in ("uid", "prospect_uid", "block_uid"):
        return ["", "x", "a" * 200, "bad uid", "=1", "u1"]
    return TEXTS


GENTLE: dict[str, list[Any]] = {
    "note": TEXTS,
    "notitie": TEXTS,
    "company": TEXTS,
    "bedrijf": TEXTS,
    "prospect": TEXTS,
    "klant": TEXTS,
    "name": TEXTS,
    "minutes": ["0", "1440", "1439.5", "", 0, 1440, None],
    "duur": ["0", "1440", "1439,5", ""],
    "datum": ["01-01-1970", "31-12-2199", "25-10-2026", "29-03-2026", "29-02-2028"],
    "tijd": ["02:30", "02:00", "03:00", "00:00", "23:59", "12:00 AM", ""],
    "volgende": ["01-01-1970", "31-12-2199", ""],
    "est_value": [0, 0.01, 999_999_999_999.99, None],
    "amount_cents": [1, 10**14],
    "next_touch_on": ["1970-01-01", "2199-12-31", None],
    "effective_from": ["1970-01-01", "2199-12-31"],
    "day": ["1970-01-01", "2199-12-31"],
}
"""Values the import must accept, at the edges of what it accepts: text of every kind,
bounds of numbers, the first and last day of the range, times the clocks skip or repeat."""


def mutate_table(
    rng: random.Random, text: str, delimiter: str, steps: list[str], gentle: bool = False
) -> str:
    """Cell, row and column mutations of a CSV, written back with a chosen style; only
    values it must accept when ``gentle``."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        return text
    header = rows[0]
    for _ in range(rng.randint(1, 3)):
        choice = rng.random()
        body = len(rows) - 1
        columns = [c for c, name in enumerate(header) if name.lower() in GENTLE]
        if gentle and body and columns:
            r, c = rng.randint(1, body), rng.choice(columns)
            if c < len(rows[r]):
                value = str(rng.choice(GENTLE[header[c].lower()]))
                rows[r][c] = value
                steps.append(f"row {r + 1} {header[c]}={value[:40]!r}")
            continue
        if choice < 0.45 and body:
            r, c = rng.randint(1, body), rng.randrange(len(header))
            if c < len(rows[r]):
                value = rng.choice(pool_for(header[c]))
                rows[r][c] = value
                steps.append(f"row {r + 1} {header[c]}={value[:40]!r}")
        elif choice < 0.55:
            c = rng.randrange(len(header))
            steps.append(f"drop column {header[c]!r}")
            for row in rows:
                if c < len(row):
                    del row[c]
        elif choice < 0.62:
            name = rng.choice(["extra", header[0], "Datum", "date", ""])
            steps.append(f"add column {name!r}")
            for i, row in enumerate(rows):
                row.append(name if i == 0 else rng.choice(TEXTS[:6]))
        elif choice < 0.68:
            c = rng.randrange(len(header))
            new = rng.choice(["", "Date", "DATE ", header[c].upper(), "uid", "kind"])
            steps.append(f"rename column {header[c]!r} to {new!r}")
            header[c] = new
        elif choice < 0.8 and body:
            r = rng.randint(1, body)
            steps.append(f"repeat row {r + 1}")
            rows.insert(rng.randint(1, body + 1), list(rows[r]))
        elif choice < 0.88 and body:
            r = rng.randint(1, body)
            steps.append(f"drop row {r + 1}")
            del rows[r]
        else:
            r = rng.randint(0, body)
            steps.append(f"cut row {r + 1} short")
            rows[r] = rows[r][: rng.randrange(len(rows[r]) + 1)]
    out = io.StringIO(newline="")
    new_delimiter = delimiter
    if rng.random() < 0.1:
        new_delimiter = rng.choice([",", ";", "\t", "|"])
        steps.append(f"delimiter {new_delimiter!r}")
    quoting = csv.QUOTE_ALL if rng.random() < 0.1 else csv.QUOTE_MINIMAL
    terminator = rng.choice(["\r\n", "\r\n", "\n", "\r"])
    csv.writer(out, delimiter=new_delimiter, quoting=quoting, lineterminator=terminator).writerows(
        rows
    )
    return out.getvalue()


def mutate_json_rows(
    rng: random.Random, rows: list[Any], steps: list[str], where: str, gentle: bool = False
) -> None:
    """Field and row mutations of a list of JSON objects (a dump section, JSON Lines);
    only values it must accept when ``gentle``."""
    if gentle:
        fields = [(i, key) for i, row in enumerate(rows) for key in row if key in GENTLE]
        if fields:
            i, key = rng.choice(fields)
            rows[i][key] = rng.choice(GENTLE[key])
            steps.append(f"{where} row {i}: {key}={rows[i][key]!r:.40}")
        return
    if not rows:
        rows.append({"uid": "x"})
        steps.append(f"{where}: a bare row")
        return
    i = rng.randrange(len(rows))
    row = rows[i]
    choice = rng.random()
    if not isinstance(row, dict) or choice < 0.55:
        if isinstance(row, dict) and row:
            key = rng.choice(sorted(row))
            value = rng.choice(JSON_VALUES)
            if isinstance(row[key], str) and rng.random() < 0.3:
                value = rng.choice(pool_for(key) if key != "at" else INSTANTS)
            row[key] = value
            steps.append(f"{where} row {i}: {key}={value!r:.40}")
        else:
            rows[i] = rng.choice(JSON_VALUES)
            steps.append(f"{where} row {i} replaced")
    elif choice < 0.65 and row:
        key = rng.choice(sorted(row))
        del row[key]
        steps.append(f"{where} row {i}: no {key}")
    elif choice < 0.7:
        row[rng.choice(["extra", "Note", "id "])] = 1
        steps.append(f"{where} row {i}: an unknown field")
    elif choice < 0.85:
        twin = dict(row)
        if rng.random() < 0.5 and "uid" in twin:
            twin["uid"] = f"twin{i}"
        if rng.random() < 0.5 and "id" in twin:
            twin["id"] = None if rng.random() < 0.5 else len(rows) + 1000
        rows.insert(rng.randrange(len(rows) + 1), twin)
        steps.append(f"{where} row {i} twice")
    else:
        del rows[i]
        steps.append(f"{where} row {i} dropped")


def mutate_bytes(rng: random.Random, data: bytes, steps: list[str]) -> bytes:
    """Damage a file as a disk, a mail client or a spreadsheet might."""
    choice = rng.random()
    if choice < 0.3 and data:
        cut = rng.randrange(len(data))
        steps.append(f"cut at byte {cut}")
        return data[:cut]
    if choice < 0.55:
        at = rng.randrange(len(data) + 1)
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 12)))
        steps.append(f"junk {junk!r} at byte {at}")
        return data[:at] + junk + data[at:]
    if choice < 0.7:
        at = rng.randrange(len(data) + 1)
        steps.append(f"a quote at byte {at}")
        return data[:at] + b'"' + data[at:]
    if choice < 0.8:
        steps.append("a byte order mark")
        return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]) + data
    if choice < 0.9:
        steps.append("only the header")
        return data.split(b"\n", 1)[0]
    steps.append("nothing but garbage")
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))


def encode(rng: random.Random, text: str, steps: list[str], default: str = "utf-8") -> bytes:
    encoding = default
    if rng.random() < 0.2:
        encoding = rng.choice(["utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-8"])
        steps.append(f"saved as {encoding}")
    return text.encode(encoding, errors="replace")


def flags(rng: random.Random, steps: list[str]) -> list[str]:
    if rng.random() > 0.15:
        return []
    chosen = rng.choice(
        [
            ["--encoding", rng.choice(["utf-8", "cp1252", "utf-16", "latin-1", "rot13", "ascii"])],
            ["--dayfirst"],
            ["--monthfirst"],
            ["--delimiter", rng.choice([";", ",", "tab", "|", ";;"])],
            ["--map", rng.choice(["date=at_utc", "kind=note", "date=Datum,kind=Soort", "x=y"])],
        ]
    )
    steps.append(" ".join(chosen))
    return chosen


def make_case(fmt: str, base: Base, rng: random.Random) -> Case:
    steps: list[str] = []
    original = base.files[fmt]
    gentle = rng.random() < 0.4
    if gentle:
        steps.append("gentle")
    target = "full" if rng.random() < 0.3 else "empty"
    args: list[str] = []
    if fmt == "dump":
        data = json.loads(original)
        sections = [k for k, v in data.items() if isinstance(v, list)]
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.1:
                key = rng.choice(["format", "version", "extra"])
                data[key] = rng.choice(JSON_VALUES)
                steps.append(f"{key}={data[key]!r:.40}")
                continue
            section = rng.choice(sections)
            mutate_json_rows(rng, data[section], steps, section, gentle)
        data_bytes = json.dumps(data, indent=1, ensure_ascii=rng.random() < 0.5).encode(
            "utf-8", errors="surrogatepass"
        )
    elif fmt == "jsonl":
        rows: list[Any] = [json.loads(line) for line in original.decode("utf-8").splitlines()]
        for _ in range(rng.randint(1, 3)):
            mutate_json_rows(rng, rows, steps, "jsonl", gentle)
        text = "\n".join(json.dumps(r, ensure_ascii=rng.random() < 0.5) for r in rows) + "\n"
        data_bytes = text.encode("utf-8", errors="surrogatepass")
    else:
        if fmt == "foreign":
            text, delimiter = original.decode("cp1252"), ";"
            args = ["--map", FOREIGN_MAP]
            encoding = "cp1252"
        else:
            text = original.decode("utf-8-sig")
            delimiter = ";" if fmt == "excel" else ","
            encoding = "utf-8-sig" if fmt == "excel" else "utf-8"
        text = mutate_table(rng, text, delimiter, steps, gentle)
        if gentle:
            data_bytes = text.encode(encoding, errors="replace")
        else:
            data_bytes = encode(rng, text, steps, encoding)
    if not gentle and rng.random() < 0.25:
        data_bytes = mutate_bytes(rng, data_bytes, steps)
    args += [] if gentle else flags(rng, steps)
    return Case(fmt, data_bytes, args, target, steps)


@pytest.mark.parametrize("fmt", FORMATS)
def test_fuzzed_imports_keep_every_promise(base: Base, tmp_path: Path, fmt: str) -> None:
    cases = max(1, CASES // len(FORMATS))
    rng = random.Random(f"{SEED}-{fmt}")
    verified: set[str] = set()
    failures: list[str] = []
    for n in range(cases):
        case = make_case(fmt, base, random.Random(rng.random()))
        try:
            problem = check(case, base, tmp_path, verified)
        except Exception:
            problem = f"traceback:\n{traceback.format_exc()}"
        if problem is not None:
            kept = tmp_path / f"failed-{n}.{fmt}"
            kept.write_bytes(case.data)
            failures.append(
                f"case {n} ({'; '.join(case.steps)}) into the {case.target} database, "
                f"args {case.args}, file {kept}:\n  {problem}"
            )
            if len(failures) >= 5:
                break
    assert not failures, "\n".join(failures)


def test_the_fuzz_covers_refusals_and_acceptances(base: Base, tmp_path: Path) -> None:
    """The mutations are neither all harmless nor all fatal: both paths are exercised."""
    outcomes: dict[str, set[int]] = {}
    for fmt in FORMATS:
        rng = random.Random(f"{SEED}-{fmt}")
        for _ in range(12):
            case = make_case(fmt, base, random.Random(rng.random()))
            path = tmp_path / "probe"
            path.write_bytes(case.data)
            code, _, _ = call(base.empty, "import", str(path), "--dry-run", *case.args)
            outcomes.setdefault(fmt, set()).add(code)
    assert all(codes == {0, 2} for codes in outcomes.values()), outcomes
