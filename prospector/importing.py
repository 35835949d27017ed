"""Import: our own JSON dump, our own CSV (and JSON Lines) export, and foreign CSV files.

What a file is, is read from the file itself: a JSON document that starts with
``"format": "prospector-dump"`` is a full dump; JSON Lines with our columns, or a CSV
whose header holds every column of ``prospector.export.ACTION_COLUMNS``, is our own
activity log; any other CSV is a foreign list of actions, read through a column map
(``--map date=Datum,kind=Soort``; columns named like the fields map themselves).

A foreign CSV's encoding (UTF-8, UTF-8 with a byte order mark, Windows-1252, UTF-16 or
UTF-32 with a byte order mark), its delimiter and whether its dates put the day first
are worked out from the whole file; when the file leaves it open the import stops and
asks for the flag that settles it.

Every value passes the rules the command line applies to the same value: dates and
instants in ``clock.DATE_RANGE`` (in UTC and in their zone), a CSV's date and time equal
to its at_utc in its zone, a local time the clocks skip or repeat read as ``log --at``
reads it (``clock.local_instant``), known kinds, outcomes, sources, stages and zones,
amounts, minutes and counts within the store's bounds, and one row per name, day, week
or setting. Uniqueness is checked while reading, so a dry run finds what the write would.

Every row is checked before anything is kept: an import is one transaction that lands
whole or not at all, and a rejected row (listed with its line and the reason) means
nothing is imported. Importing the same file twice adds nothing the second time: every
row carries a uid (our files) or gets one derived from its content (foreign files), and
rows whose uid is already in the database are skipped.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from prospector.clock import DATE_RANGE, FIRST_DAY, LAST_DAY, is_iana_zone, local_instant
from prospector.errors import InvalidInput
from prospector.export import (
    ACTION_COLUMNS,
    DUMP_FORMAT,
    DUMP_VERSION,
    DumpTable,
    dump_tables,
    unneutralise,
)
from prospector.models import utc_text
from prospector.names import clean_name, name_key
from prospector.staging import Staging, staging_beside
from prospector.write_wait import importing_into

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from prospector.store import Store

FIELDS = (
    "date",
    "time",
    "kind",
    "outcome",
    "prospect",
    "company",
    "note",
    "minutes",
    "next_step_on",
)
"""What a column of a foreign CSV can hold; ``date`` and ``kind`` are required."""
REQUIRED = ("date", "kind")
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
LISTED = 20
"""Rejected rows listed one by one; beyond that only counted."""
PREVIEW = 5
BATCH = 2000
CHUNK = 1 << 20
FIELD_LIMIT = 1 << 26
UTC_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z", re.ASCII)
INSERT_TRIGGER = re.compile(r"\bAFTER\s+INSERT\s+ON\b", re.IGNORECASE)
UID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.:-]{0,127}")
ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
SHORT_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?\s*([aApP]\.?[mM]\.?)?")
MULTIBYTE_UTF8 = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


class RowError(Exception):
    """One row cannot be imported; the message says why and what to change."""


@dataclass(frozen=True)
class Reject:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did, or with ``dry_run``, what it would do."""

    path: Path
    source: str
    """What the file was read as, e.g. "Prospector CSV export" or "CSV (foreign)"."""
    dry_run: bool
    added: dict[str, int] = field(default_factory=dict)
    """New rows per table (actions, prospects, blocks, ...)."""
    present: dict[str, int] = field(default_factory=dict)
    """Rows skipped because the database already holds them (by uid)."""
    preview: list[str] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    rejected: int = 0

    def reject(self, line: int, reason: str) -> None:
        """Count a rejected row; keep the first ``LISTED`` by line to show."""
        self.rejected += 1
        if len(self.rejects) < LISTED or line < self.rejects[-1].line:
            self.rejects.append(Reject(line, reason))
            self.rejects.sort(key=lambda r: r.line)
            del self.rejects[LISTED:]

    def count(self, table: str, n: int = 1, present: bool = False) -> None:
        target = self.present if present else self.added
        target[table] = target.get(table, 0) + n

    @property
    def nothing_new(self) -> bool:
        return not any(self.added.values())


class ImportRejected(InvalidInput):
    """Some rows of the file cannot be imported, so none was."""

    def __init__(self, report: ImportReport) -> None:
        n = report.rejected
        first = report.rejects[0] if report.rejects else None
        which = f", the first on {first}" if first and n > 1 else (f" ({first})" if first else "")
        super().__init__(
            f"{report.path}: {n:,} row{'' if n == 1 else 's'} rejected{which}; nothing was "
            "imported. Fix them and import again (--dry-run lists them without writing)"
        )
        self.report = report


Notify = Callable[[str], None]


def _silent(_: str) -> None:
    return None


def import_file(
    store: Store,
    path: Path | str,
    *,
    dry_run: bool = False,
    mapping: Sequence[str] = (),
    encoding: str | None = None,
    dayfirst: bool | None = None,
    delimiter: str | None = None,
    notify: Notify = _silent,
) -> ImportReport:
    """Import ``path`` into the store, or with ``dry_run`` only check it.

    ``mapping`` holds ``--map`` values (``field=Column,...``); ``encoding``,
    ``dayfirst`` (True: dd-mm-yyyy, False: mm-dd-yyyy) and ``delimiter`` override what
    is detected. ``notify`` hears what was detected. Raises ``ImportRejected`` (after
    rolling everything back) when a row cannot be imported, ``InvalidInput`` when the
    file as a whole cannot be read; returns the report otherwise.
    """
    path = Path(path).expanduser()
    _check_readable(path)
    head = _head(path)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"[":
        raise InvalidInput(
            f"{path} is a JSON list, not a file Prospector can import; import a dump made "
            "by prospector export --format json, a CSV or our JSON Lines"
        )
    if start == b"{":
        if mapping or dayfirst is not None or delimiter:
            raise InvalidInput(
                f"{path} is a JSON file; --map, --dayfirst, --monthfirst and --delimiter "
                "are for CSV files: leave them out"
            )
        if encoding and _codec(encoding) != "utf-8-sig":
            raise InvalidInput(
                f"{path} is a JSON file, which is always UTF-8; leave out --encoding"
            )
        if _is_jsonl(path):
            return _import_jsonl(store, path, dry_run, notify)
        return _import_dump(store, path, dry_run, notify)
    return _import_csv(store, path, dry_run, mapping, encoding, dayfirst, delimiter, notify)


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise InvalidInput(f"{path}: no such file; check the name and the folder")
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give the file to import")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n"):
        raise InvalidInput(f"{path} is empty: there is nothing to import")
    return head


# --- encodings -----------------------------------------------------------------------


def _chunks(path: Path) -> Iterator[bytes]:
    """The file's bytes in pieces that end at a line end (never inside a character)."""
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            if not chunk.endswith(b"\n"):
                chunk += fh.readline()
            yield chunk


def _codec(name: str) -> str:
    """The codec ``--encoding name`` stands for; refuses a name that is no encoding, or an
    encoding that is not of text (rot13, base64, zlib turn bytes into bytes)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise InvalidInput(
            f"unknown encoding {name!r}; use utf-8, utf-8-sig (with a byte order mark) "
            "or cp1252 (Windows, Western Europe)"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise InvalidInput(
            f"{name!r} is not a text encoding (it turns bytes into other bytes); use "
            "utf-8, utf-8-sig (with a byte order mark) or cp1252 (Windows, Western Europe)"
        )
    return "utf-8-sig" if info.name == "utf-8" else info.name


_WIDE_BOMS = (
    ("utf-32", codecs.BOM_UTF32_LE, "utf-32-le"),
    ("utf-32", codecs.BOM_UTF32_BE, "utf-32-be"),
    ("utf-16", codecs.BOM_UTF16_LE, "utf-16-le"),
    ("utf-16", codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""(codec, byte order mark, the codec of the bytes after it); UTF-32 first, as its
little-endian mark starts with UTF-16's."""


def _wide_bom(path: Path) -> tuple[str, int, str] | None:
    """(codec, length of its mark, codec after the mark) of a UTF-16 or UTF-32 file that
    starts with a byte order mark; None for any other file."""
    with path.open("rb") as fh:
        start = fh.read(4)
    for codec, bom, base in _WIDE_BOMS:
        if start.startswith(bom):
            return codec, len(bom), base
    return None


def _first_bad_byte(path: Path, codec: str) -> tuple[int, int] | None:
    """(line, byte) of the first byte ``codec`` cannot read, or None if it reads all.

    Read in blocks through an incremental decoder, so that a character split between
    two blocks is no error and a codec whose line end is not the byte 0x0A (UTF-16)
    counts its lines right. A codec that fails without saying where (``idna``) is
    refused as a whole.
    """
    skip = 0
    base = codec
    if codec == "utf-8-sig":
        base = "utf-8"
        with path.open("rb") as fh:
            skip = 3 if fh.read(3) == codecs.BOM_UTF8 else 0
    elif codec in ("utf-16", "utf-32"):
        wide = _wide_bom(path)
        if wide is None or wide[0] != codec:
            raise InvalidInput(
                f"{path} does not start with a byte order mark, which --encoding {codec} "
                f"needs to tell the order of its bytes; give --encoding {codec}-le or "
                f"{codec}-be (or utf-8 if it is not {codec.upper()} at all)"
            )
        _, skip, base = wide
    decoder = codecs.getincrementaldecoder(base)()
    line = 1
    with path.open("rb") as fh:
        fh.read(skip)
        while True:
            block = fh.read(CHUNK)
            pending = decoder.getstate()[0]
            try:
                text = decoder.decode(block, not block)
            except UnicodeDecodeError as exc:
                data = pending + block
                start = min(max(exc.start, 0), max(len(data) - 1, 0))
                valid = data[:start].decode(base, errors="replace")
                return line + valid.count("\n"), data[start] if data else 0
            except (UnicodeError, ValueError) as exc:
                raise InvalidInput(f"{path} cannot be read as {codec}: {exc}") from None
            line += text.count("\n")
            if not block:
                return None


def detect_encoding(path: Path, forced: str | None, notify: Notify) -> str:
    """The codec to read ``path`` with: ``forced`` if given (checked), else UTF-8 (with or
    without a byte order mark) or Windows-1252, whichever the whole file fits."""
    with path.open("rb") as fh:
        bom = fh.read(3) == codecs.BOM_UTF8
    wide = None if forced else _wide_bom(path)
    if wide is not None:
        forced = wide[0]
        notify(f"encoding: {wide[0].upper()} with a byte order mark")
    if forced:
        codec = _codec(forced)
        bad = _first_bad_byte(path, codec)
        if bad is not None:
            raise InvalidInput(
                f"{path} line {bad[0]}: byte 0x{bad[1]:02X} cannot be read as {forced}; "
                "check the file's encoding (utf-8, cp1252) and give it with --encoding"
            )
        return codec
    line, utf8_bad, cp1252_bad, utf8_seen = 1, None, None, None
    for chunk in _chunks(path):
        if utf8_bad is None:
            try:
                chunk.decode("utf-8")
            except UnicodeDecodeError as exc:
                utf8_bad = (line + chunk.count(b"\n", 0, exc.start), chunk[exc.start])
        if cp1252_bad is None and (found := CP1252_UNDEFINED.search(chunk)):
            cp1252_bad = (line + chunk.count(b"\n", 0, found.start()), chunk[found.start()])
        if utf8_seen is None and (found := MULTIBYTE_UTF8.search(chunk)):
            utf8_seen = line + chunk.count(b"\n", 0, found.start())
        line += chunk.count(b"\n")
    if utf8_bad is None:
        notify(f"encoding: UTF-8{' with a byte order mark' if bom else ''}")
        return "utf-8-sig"
    where, byte = utf8_bad
    if bom:
        raise InvalidInput(
            f"{path} starts with a UTF-8 byte order mark, but line {where} has byte "
            f"0x{byte:02X}, which is not UTF-8; save the file as UTF-8 again, or give "
            "--encoding cp1252 if it really is a Windows file"
        )
    if cp1252_bad is not None:
        raise InvalidInput(
            f"{path} is neither UTF-8 (line {where}: byte 0x{byte:02X}) nor Windows-1252 "
            f"(line {cp1252_bad[0]}: byte 0x{cp1252_bad[1]:02X}); "
            "give its encoding with --encoding, e.g. --encoding latin-1"
        )
    if utf8_seen is not None:
        raise InvalidInput(
            f"{path} mixes encodings: line {utf8_seen} reads as UTF-8 but line {where} has "
            f"byte 0x{byte:02X}, which is not UTF-8 (Windows-1252?); save it in one encoding, "
            "or give --encoding utf-8 or --encoding cp1252"
        )
    notify(f"encoding: Windows-1252 (cp1252): not UTF-8, e.g. byte 0x{byte:02X} on line {where}")
    return "cp1252"


# --- CSV structure -------------------------------------------------------------------


def _records(path: Path, codec: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-empty record of the file with the line it starts on."""
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)  # a long note is a note, not a broken file
    with path.open(encoding=codec, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        start = 1
        try:
            for record in reader:
                if record and any(cell.strip() for cell in record):
                    yield start, record
                start = reader.line_num + 1
        except csv.Error as exc:
            raise InvalidInput(
                f"{path} line {start}: not valid CSV ({exc}); a quote opened in a cell must "
                'close at its end, and a quote inside a quoted cell is written twice ("")'
            ) from None
        except UnicodeError as exc:  # checked whole before; only a stateful codec gets here
            raise InvalidInput(f"{path} line {start} cannot be read as {codec}: {exc}") from None


def detect_delimiter(path: Path, codec: str, forced: str | None, notify: Notify) -> str:
    """The cell separator: ``forced``, else the one that splits the header into several
    columns, checked against every row when more than one would."""
    if forced:
        named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
        chosen = named.get(forced.lower(), forced)
        if len(chosen) != 1:
            raise InvalidInput(f"--delimiter must be one character such as ; or , got {forced!r}")
        return chosen
    widths = {}
    first_line, header = 1, [""]
    broken: list[InvalidInput] = []
    """Why the header is no CSV with a candidate: a file of quoted cells between
    semicolons is not valid CSV when read with commas, and is not wrong for that."""
    for candidate in DELIMITERS:
        try:
            first_line, header = next(_records(path, codec, candidate), (1, [""]))
        except InvalidInput as exc:
            broken.append(exc)
            continue
        if len(header) > 1:
            widths[candidate] = len(header)
    if not widths and len(broken) == len(DELIMITERS):
        raise broken[0]
    if not widths:
        raise InvalidInput(
            f"{path} line {first_line} has one column ({header[0][:40]!r}); an import needs at "
            "least a date and a kind column, separated by commas, semicolons or tabs; "
            "give the separator with --delimiter"
        )
    fits = list(widths)
    if len(fits) > 1:
        fits = [d for d in fits if _every_record_has(path, codec, d, widths[d])]
    if len(fits) != 1:
        names = " or ".join(f"'{d}'" for d in (fits or list(widths)))
        raise InvalidInput(
            f"cannot tell whether {path} separates its cells with {names}: more than one fits "
            f"the header on line {first_line}; give the separator, e.g. --delimiter ';'"
        )
    notify(f"delimiter: {DELIMITER_NAMES.get(fits[0], repr(fits[0]))} ({fits[0]!r})")
    return fits[0]


def _every_record_has(path: Path, codec: str, delimiter: str, width: int) -> bool:
    """Whether every record splits into ``width`` cells with ``delimiter`` (and reads as
    CSV at all with it)."""
    try:
        return all(len(record) == width for _, record in _records(path, codec, delimiter))
    except InvalidInput:
        return False


def parse_map(values: Sequence[str]) -> dict[str, str]:
    """``--map date=Datum,kind=Soort`` as {field: column}."""
    out: dict[str, str] = {}
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise InvalidInput(
                    f"--map takes FIELD=COLUMN pairs separated by commas, e.g. "
                    f"--map date=Datum,kind=Soort; got {part.strip()!r}"
                )
            name, column = (s.strip() for s in part.split("=", 1))
            name = name.lower()
            if name not in FIELDS:
                raise InvalidInput(f"--map: unknown field {name!r}; fields are {', '.join(FIELDS)}")
            if name in out:
                raise InvalidInput(f"--map names the field {name} twice")
            if not column:
                raise InvalidInput(f"--map {name}= needs a column name after the '='")
            out[name] = column
    return out


def _columns_of(
    path: Path, header: list[str], mapping: dict[str, str], notify: Notify
) -> dict[str, int]:
    """Field -> column index of a foreign CSV: the map, then columns named as fields."""
    names = [h.strip() for h in header]
    listing = ", ".join(repr(n) for n in names)
    out: dict[str, int] = {}
    for name, column in mapping.items():
        if column in names:
            out[name] = names.index(column)
            continue
        folded = [i for i, n in enumerate(names) if n.casefold() == column.casefold()]
        if len(folded) != 1:
            raise InvalidInput(
                f"--map {name}={column}: {path} has no column {column!r}; its columns are {listing}"
            )
        out[name] = folded[0]
    for name in FIELDS:
        if name not in out:
            same = [i for i, n in enumerate(names) if n.casefold() == name]
            if len(same) == 1 and same[0] not in out.values():
                out[name] = same[0]
    missing = [f for f in REQUIRED if f not in out]
    if missing:
        example = ",".join(f"{f}=COLUMN" for f in missing)
        raise InvalidInput(
            f"{path} has no column for {' and '.join(missing)} (its columns are {listing}); "
            f"say which column holds it: --map {example}"
        )
    used = sorted(out.items(), key=lambda item: item[1])
    notify("columns: " + ", ".join(f"{name}={names[i]!r}" for name, i in used))
    ignored = [n for i, n in enumerate(names) if i not in out.values()]
    if ignored:
        notify("ignoring columns: " + ", ".join(repr(n) for n in ignored))
    return out


# --- values --------------------------------------------------------------------------


class Vocabulary:
    """What a kind or outcome may be called in a file, and the zones seen valid."""

    def __init__(self, store: Store) -> None:
        data = store.data
        self.kinds: dict[str, str] = {}
        for kind in data.kinds:
            for word in (kind.key, kind.label, kind.noun, kind.plural):
                self.kinds.setdefault(_word(word), kind.key)
        self.outcomes: dict[str, str] = {}
        for outcome in data.outcomes:
            for word in (outcome.key, outcome.label):
                self.outcomes.setdefault(_word(word), outcome.key)
        self.needs_date = {o.key for o in data.outcomes if o.needs_date}
        self.kind_list = ", ".join(data.kind_keys)
        self.outcome_list = ", ".join(data.outcome_keys)
        self._zones: dict[str, bool] = {}

    def kind(self, raw: str) -> str:
        found = self.kinds.get(raw) or self.kinds.get(_word(raw))
        if found is None:
            raise RowError(f"unknown kind {raw!r}; kinds are {self.kind_list}")
        return found

    def outcome(self, raw: str) -> str:
        if not raw.strip():
            return "no_response"
        found = self.outcomes.get(raw) or self.outcomes.get(_word(raw))
        if found is None:
            raise RowError(f"unknown outcome {raw!r}; outcomes are {self.outcome_list}")
        return found

    def zone(self, name: str) -> str:
        ok = self._zones.get(name)
        if ok is None:
            ok = self._zones[name] = is_iana_zone(name)
        if not ok:
            raise RowError(f"unknown time zone {name!r}; use an IANA name such as Europe/Amsterdam")
        return name


def _word(text: str) -> str:
    return re.sub(r"[\s_-]+", "_", text.strip().lower())


def _out_of_range(what: str, shown: str) -> RowError:
    return RowError(f"{what} {shown} is out of range; use a date from {DATE_RANGE}")


def _in_range(day: dt.date, what: str, shown: str | None = None) -> dt.date:
    """``day`` if it lies in the supported range (``clock.DATE_RANGE``)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _out_of_range(what, shown or day.isoformat())
    return day


def _iso_day(text: str, what: str) -> str:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise RowError(f"bad {what} {text!r}; write it as YYYY-MM-DD, e.g. 2026-11-23") from None
    return _in_range(day, what, text).isoformat()


def _utc_text(text: str, what: str = "at_utc") -> str:
    """A stored instant (``2026-11-23T13:08:00.000000Z``), from any ISO time with an offset,
    refused unless its UTC day lies in the supported range."""
    if UTC_TEXT.fullmatch(text):
        try:
            instant = dt.datetime(
                int(text[0:4]),
                int(text[5:7]),
                int(text[8:10]),
                int(text[11:13]),
                int(text[14:16]),
                int(text[17:19]),
            )
        except ValueError:
            raise RowError(f"bad {what} {text!r}: no such day or time") from None
        _in_range(instant.date(), what, text)
        return text
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise RowError(f"bad {what} {text!r}; write a UTC time such as 2026-11-23T13:08:00.000000Z")
    try:
        utc = parsed.astimezone(dt.UTC)
    except OverflowError:  # year 1 or 9999 with an offset: no such instant for Python
        raise _out_of_range(what, text) from None
    _in_range(utc.date(), what, text)
    return utc_text(utc)


def _local(at: str, zone: ZoneInfo, what: str) -> dt.datetime:
    """The wall-clock time of stored instant ``at`` in ``zone``, its day in the range."""
    local = _instant(at).astimezone(zone)
    if not FIRST_DAY <= local.date() <= LAST_DAY:
        raise RowError(
            f"{what} {at} falls on {local.date().isoformat()} in {zone.key}, which is out of "
            f"range; use a date from {DATE_RANGE}"
        )
    return local


MAX_MINUTES = 24 * 60


def _minutes(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        raise RowError(f"bad minutes {text!r}; give a whole number of minutes such as 15")
    exact = Decimal(text.replace(",", "."))
    if exact > MAX_MINUTES:  # compared before rounding, which a 30-digit number overflows
        shown = text if len(text) <= 24 else text[:20] + "..."
        raise RowError(f"minutes must be between 0 and {MAX_MINUTES}, got {shown}")
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode(text: str, what: str) -> str:
    """``text`` if it can be stored: JSON can spell half a character (``\\ud800``),
    which no database encoding holds."""
    if _SURROGATE.search(text):
        raise RowError(f"{what} holds half a character (a lone \\u surrogate escape)")
    return text


@dataclass(slots=True)
class ActionRow:
    """One action as it will be stored, with the prospect and block it names."""

    line: int
    uid: str
    at: str
    tz: str
    local_date: str
    kind: str
    outcome: str
    next_step_on: str | None
    prospect: str | None
    company: str
    prospect_uid: str | None
    block_uid: str | None
    minutes: int | None
    note: str

    def describe(self) -> str:
        local = dt.datetime.strptime(self.at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
        when = local.astimezone(ZoneInfo(self.tz))
        text = f"line {self.line}: {self.local_date} {when:%H:%M} {self.kind}, {self.outcome}"
        if self.next_step_on:
            text += f" (next {self.next_step_on})"
        if self.prospect:
            text += f", {self.prospect}" + (f" ({self.company})" if self.company else "")
        if self.note:
            note = " ".join(self.note.split())
            text += f": {note[:40]}{'...' if len(note) > 40 else ''}"
        return text


class OwnRows:
    """Rows of our own CSV or JSON Lines export: every column as exported."""

    def __init__(self, vocabulary: Vocabulary, quoted: bool) -> None:
        self.vocabulary = vocabulary
        self.quoted = quoted
        """CSV cells carry the injection quote, which comes off again."""

    def row(self, line: int, cell: Callable[[str], str]) -> ActionRow:
        v = self.vocabulary
        uid = cell("uid").strip()
        if not UID.fullmatch(uid):
            raise RowError(f"bad uid {uid!r}; a uid is letters and digits, as exported")
        at = _utc_text(cell("at_utc").strip())
        tz = v.zone(cell("timezone").strip())
        local = _local(at, ZoneInfo(tz), "at_utc")
        day = _iso_day(cell("date").strip(), "date")
        if day != local.date().isoformat():
            raise RowError(
                f"date {day} is not the day of at_utc {at} in {tz}, which is "
                f"{local.date().isoformat()}; at_utc is the exact time of the action: "
                "correct the date or at_utc"
            )
        clock = cell("time").strip()
        if clock:
            shown = f"{local:%H:%M:%S}"
            if not re.fullmatch(r"\d\d:\d\d(?::\d\d)?", clock) or clock != shown[: len(clock)]:
                raise RowError(
                    f"time {clock} is not the time of at_utc {at} in {tz}, which is {shown}; "
                    "at_utc is the exact time of the action: correct the time or at_utc"
                )
        nxt = cell("next_step_on").strip()
        undo = unneutralise if self.quoted else _same
        name = undo(cell("prospect"))
        puid = cell("prospect_uid").strip() or None
        buid = cell("block_uid").strip() or None
        for what, value in (("prospect_uid", puid), ("block_uid", buid)):
            if value is not None and not UID.fullmatch(value):
                raise RowError(f"bad {what} {value!r}; a uid is letters and digits, as exported")
        outcome = v.outcome(cell("outcome").strip())
        if outcome in v.needs_date and not nxt:
            raise RowError(f"outcome {outcome} needs the date of the next step (next_step_on)")
        return ActionRow(
            line=line,
            uid=uid,
            at=at,
            tz=tz,
            local_date=day,
            kind=v.kind(cell("kind").strip()),
            outcome=outcome,
            next_step_on=_iso_day(nxt, "next_step_on") if nxt else None,
            prospect=name.strip() or None,
            company=undo(cell("company")),
            prospect_uid=puid,
            block_uid=buid,
            minutes=_minutes(cell("minutes")),
            note=undo(cell("note")),
        )


def _same(text: str) -> str:
    return text


@dataclass
class DateStyle:
    """How a foreign file writes its dates: year first, or day or month first."""

    dayfirst: bool | None

    def day(self, text: str, what: str) -> tuple[dt.date, str]:
        """The date at the start of ``text`` and what follows it (a time, perhaps)."""
        text = text.strip()
        iso = ISO_DATE.match(text)
        short = None if iso else SHORT_DATE.match(text)
        if iso:
            year, month, day = int(iso[1]), int(iso[2]), int(iso[3])
            rest = text[iso.end() :]
        elif short:
            a, b, year = int(short[1]), int(short[2]), int(short[3])
            if self.dayfirst is None and a != b and a <= 12 and b <= 12:
                raise RowError(
                    f"{what} {text!r} could be day-month or month-day; "
                    "add --dayfirst or --monthfirst"
                )
            day, month = (a, b) if self.dayfirst or (self.dayfirst is None and a > 12) else (b, a)
            rest = text[short.end() :]
        else:
            raise RowError(
                f"bad {what} {text!r}; write dates as 2026-11-23, 23-11-2026 or 11/23/2026"
            )
        try:
            value = dt.date(year, month, day)
        except ValueError:
            order = "year-month-day" if iso else ("day-month" if day == a else "month-day")
            raise RowError(f"bad {what} {text!r}: no such day (read as {order})") from None
        _in_range(value, what, text)
        return value, rest.strip().lstrip("Tt").strip()


def detect_dayfirst(
    path: Path, codec: str, delimiter: str, column: int, forced: bool | None, notify: Notify
) -> bool | None:
    """Whether the dates of ``column`` put the day first, judged on every row: True,
    False, or None when every date is year-first or reads the same both ways."""
    if forced is not None:
        notify(f"dates: {'day' if forced else 'month'} first, as asked")
        return forced
    day_first: tuple[int, str] | None = None
    month_first: tuple[int, str] | None = None
    unclear: tuple[int, str] | None = None
    records = _records(path, codec, delimiter)
    next(records, None)
    for line, record in records:
        if column >= len(record):
            continue
        value = record[column].strip()
        short = SHORT_DATE.match(value)
        if short is None:
            continue
        a, b = int(short[1]), int(short[2])
        if a > 12 and b <= 12:
            day_first = day_first or (line, value)
        elif b > 12 and a <= 12:
            month_first = month_first or (line, value)
        elif a != b:
            unclear = unclear or (line, value)
    if day_first and month_first:
        raise InvalidInput(
            f"{path}: the dates disagree: line {day_first[0]} has {day_first[1]!r} (day first) "
            f"but line {month_first[0]} has {month_first[1]!r} (month first); correct them"
        )
    if day_first:
        notify(f"dates: day first (dd-mm-yyyy), as {day_first[1]!r} on line {day_first[0]} shows")
        return True
    if month_first:
        notify(
            f"dates: month first (mm-dd-yyyy), as {month_first[1]!r} on line {month_first[0]} shows"
        )
        return False
    if unclear:
        raise InvalidInput(
            f"{path}: every date reads both ways (line {unclear[0]}: {unclear[1]!r} could be "
            "day-month or month-day); add --dayfirst for dd-mm-yyyy or --monthfirst for "
            "mm-dd-yyyy"
        )
    return None


class ForeignRows:
    """Rows of a foreign CSV, through the column map, in the rep's time zone."""

    def __init__(
        self, vocabulary: Vocabulary, columns: dict[str, int], dates: DateStyle, tz: str
    ) -> None:
        self.vocabulary = vocabulary
        self.columns = columns
        self.dates = dates
        self.tz = tz
        self.zone = ZoneInfo(tz)
        self.occurrences: dict[bytes, int] = {}

    def row(self, line: int, record: list[str]) -> ActionRow:
        def cell(name: str) -> str:
            index = self.columns.get(name)
            return record[index].strip() if index is not None else ""

        v = self.vocabulary
        raw_date = cell("date")
        if not raw_date:
            raise RowError("the date is empty")
        instant = _exact_instant(raw_date)
        if instant is not None:
            # An ISO time with an offset (2026-11-23T13:08:00Z): that instant, whose local
            # day in the rep's zone is the day it counts for.
            at = _utc_text(raw_date, "date")
        else:
            day, rest = self.dates.day(raw_date, "date")
            clock = cell("time") or rest
            hour, minute, second = _clock(clock) if clock else (12, 0, 0)
            wall = dt.datetime(day.year, day.month, day.day, hour, minute, second)
            # The rule of ``log --at`` for a time the clocks skip or pass twice.
            utc = local_instant(wall, self.tz)
            if not FIRST_DAY <= utc.date() <= LAST_DAY:
                raise RowError(
                    f"date {raw_date} {clock or '12:00'} in {self.tz} is {utc:%Y-%m-%d %H:%M} "
                    f"UTC, which is out of range; use a date from {DATE_RANGE}"
                )
            at = utc_text(utc)
        day = _local(at, self.zone, "date").date()
        raw_kind = cell("kind")
        if not raw_kind:
            raise RowError("the kind is empty")
        kind = v.kind(raw_kind)
        outcome = v.outcome(cell("outcome"))
        raw_next = cell("next_step_on")
        nxt = self.dates.day(raw_next, "next_step_on")[0].isoformat() if raw_next else None
        if outcome in v.needs_date and nxt is None:
            hint = "" if "next_step_on" in self.columns else " (map it: --map next_step_on=COLUMN)"
            raise RowError(f"outcome {outcome} needs the date of the next step{hint}")
        name = cell("prospect")
        company = cell("company")
        minutes = _minutes(cell("minutes"))
        note = cell("note")
        content = "\x1f".join(
            (at, kind, outcome, nxt or "", name.lower(), company, str(minutes), note)
        ).encode()
        digest = hashlib.blake2b(content, digest_size=16).digest()
        seen = self.occurrences.get(digest, 0)
        self.occurrences[digest] = seen + 1
        uid = (
            digest.hex()
            if not seen
            else hashlib.blake2b(content + f"\x1f{seen}".encode(), digest_size=16).hexdigest()
        )
        return ActionRow(
            line=line,
            uid=uid,
            at=at,
            tz=self.tz,
            local_date=day.isoformat(),
            kind=kind,
            outcome=outcome,
            next_step_on=nxt,
            prospect=name or None,
            company=company,
            prospect_uid=None,
            block_uid=None,
            minutes=minutes,
            note=note,
        )


def _exact_instant(text: str) -> dt.datetime | None:
    """The instant of an ISO date and time with an offset or ``Z``, else None."""
    if len(text) < 16 or not ISO_DATE.match(text) or text[10:11] not in ("T", "t", " "):
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _clock(text: str) -> tuple[int, int, int]:
    match = TIME.fullmatch(text.strip())
    if match is None:
        raise RowError(f"bad time {text!r}; write it as 14:30 or 14:30:05")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            raise RowError(f"bad time {text!r}: {hour} is not an hour on a 12-hour clock")
        hour = hour % 12 + (12 if match[4][0] in "pP" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise RowError(f"bad time {text!r}: no such time of day")
    return hour, minute, second


# --- writing actions -----------------------------------------------------------------


class ActionSink:
    """Takes checked rows and stores the new ones, inside the caller's transaction.

    Rows whose uid is already stored are counted and skipped. A prospect is found by
    uid, else by name in any case, else created; a block named by a CSV row that this
    database does not hold is rebuilt from the span of its actions. With ``write``
    False (a dry run) it only counts what it would store.
    """

    def __init__(
        self,
        store: Store,
        conn: Connection,
        report: ImportReport,
        write: bool,
        staging: Staging | None = None,
    ):
        self.store = store
        self.conn = conn
        self.report = report
        self.write = write
        self.staging = staging
        """Where a check keeps every uid it sees and each row it would store."""
        self.pending: list[ActionRow] = []
        self.prospect_ids: dict[str, int] = {}
        self.prospect_names: dict[str, int] = {}
        for pid, uid, name in conn.exec_driver_sql("SELECT id, uid, name FROM prospect"):
            self.prospect_ids[uid] = pid
            self.prospect_names.setdefault(name_key(name), pid)
        self.block_ids: dict[str, int] = {
            uid: bid for bid, uid in conn.exec_driver_sql("SELECT id, uid FROM block")
        }
        self.created_blocks: dict[int, list[str]] = {}
        """Block id -> [first at, last at] of its imported actions."""
        self.fake_id = 0
        self.next_ids: dict[str, int] = {}
        """The last id given to a new row of each table: the write lock is held, so the
        next free one is the largest plus one."""
        self.new_rows: dict[str, list[tuple[Any, ...]]] = {}
        self.now = store.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.before: dict[str, int] = {}
        """The largest id of each table as the merge began: every row past it is new."""
        if write:
            for table in ("action", "prospect", "block"):
                found = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}")
                self.before[table] = int(found.scalar() or 0)

    def add(self, row: ActionRow) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        rows, self.pending = self.pending, []
        if self.staging is not None:
            rows = self._first_of_each_uid(rows)
        if not rows:
            return
        marks = ",".join("?" * len(rows))
        present = {
            uid
            for (uid,) in self.conn.exec_driver_sql(
                f"SELECT uid FROM action WHERE uid IN ({marks})", tuple(r.uid for r in rows)
            )
        }
        values = []
        kept: list[ActionRow] = []
        for row in rows:
            if row.uid in present:
                self.report.count("actions", present=True)
                continue
            try:
                pid = self._prospect(row)
            except RowError as exc:
                self.report.reject(row.line, str(exc))
                continue
            bid = self._block(row)
            values.append(
                (
                    row.uid,
                    row.at,
                    row.tz,
                    row.local_date,
                    row.kind,
                    row.outcome,
                    row.next_step_on,
                    pid,
                    bid,
                    row.note,
                    row.minutes,
                )
            )
            kept.append(row)
            if len(self.report.preview) < PREVIEW:
                self.report.preview.append(row.describe())
        self.report.count("actions", len(values))
        if self.staging is not None:
            self.staging.keep(kept)
        if self.write:
            self._insert_new()
        if self.write and values:
            self.conn.exec_driver_sql(
                "INSERT INTO action (uid, at, tz, local_date, kind, outcome, next_step_on, "
                "prospect_id, block_id, note, minutes) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                values,
            )

    def _first_of_each_uid(self, rows: list[ActionRow]) -> list[ActionRow]:
        """``rows`` less those whose uid an earlier line of the file holds (each
        rejected, naming that line); the uids are kept in the staging file, not here."""
        assert self.staging is not None
        earlier = self.staging.first_lines([row.uid for row in rows])
        first: dict[str, int] = {}
        unique = []
        for row in rows:
            line = earlier.get(row.uid) or first.get(row.uid)
            if line is not None:
                self.report.reject(row.line, f"uid {row.uid} is also on line {line}")
                continue
            first[row.uid] = row.line
            unique.append(row)
        self.staging.see(first)
        return unique

    def _new_id(self, table: str, sql: str, params: tuple[Any, ...]) -> int:
        """The id the new row of ``table`` will have; the row itself is inserted with
        the others of its batch, before the actions that name it (``_insert_new``)."""
        if not self.write:
            self.fake_id -= 1
            return self.fake_id
        self.next_ids[table] = self.next_ids.get(table, self.before[table]) + 1
        new = self.next_ids[table]
        self.new_rows.setdefault(sql, []).append((new, *params))
        return new

    def _insert_new(self) -> None:
        """The prospects and blocks met since the last batch, in one statement each."""
        for sql, rows in self.new_rows.items():
            self.conn.exec_driver_sql(sql, rows)
        self.new_rows = {}

    def _prospect(self, row: ActionRow) -> int | None:
        pid = None
        if row.prospect_uid is not None:
            pid = self.prospect_ids.get(row.prospect_uid)
        if pid is None and row.prospect is not None:
            pid = self.prospect_names.get(name_key(row.prospect))
        if pid is None and row.prospect is None:
            if row.prospect_uid is not None:
                raise RowError(
                    f"prospect_uid {row.prospect_uid} is not in the database and the row "
                    "gives no prospect name to create it with"
                )
            return None
        if pid is None:
            assert row.prospect is not None
            uid = row.prospect_uid or _new_uid()
            # Our own export (it carries the prospect's uid) keeps the name exactly as it
            # was stored, so a round trip is byte-identical; a foreign name is tidied as
            # a typed one is. Either way it is found by the same key.
            exact = row.prospect_uid is not None and clean_name(row.prospect)
            name = row.prospect if exact else clean_name(row.prospect)
            pid = self._new_id(
                "prospect",
                "INSERT INTO prospect (id, uid, name, name_key, company, source, stage, "
                "existing_customer, est_value, stopped, next_touch_on, note, created_at) "
                "VALUES (?, ?, ?, ?, ?, 'cold', 'new', 0, NULL, 0, NULL, '', ?)",
                (uid, name, name_key(name), row.company.strip(), min(row.at, self.now)),
            )
            self.prospect_ids[uid] = pid
            self.prospect_names[name_key(row.prospect)] = pid
            self.report.count("prospects")
        return pid

    def _block(self, row: ActionRow) -> int | None:
        if row.block_uid is None:
            return None
        bid = self.block_ids.get(row.block_uid)
        if bid is None:
            bid = self._new_id(
                "block",
                "INSERT INTO block (id, uid, started_at, tz, local_date, planned_minutes, "
                "ended_at, actual_minutes, interruptions) VALUES (?, ?, ?, ?, ?, 1, ?, 0, 0)",
                (row.block_uid, row.at, row.tz, row.local_date, row.at),
            )
            self.block_ids[row.block_uid] = bid
            self.created_blocks[bid] = [row.at, row.at]
            self.report.count("blocks")
        span = self.created_blocks.get(bid)
        if span is not None:
            span[0], span[1] = min(span[0], row.at), max(span[1], row.at)
        return bid

    def finish(self) -> None:
        """Store the last rows, then what they change: a prospect's next step and stop,
        a new prospect's creation time, a rebuilt block's span."""
        self.flush()
        if not self.write:
            return

        def each(sql: str, rows: list[tuple[Any, ...]]) -> None:
            if rows:  # one statement for all rows: a million-row merge holds the lock
                self.conn.exec_driver_sql(sql, rows)

        # What the new actions (every id past ``before``, in the file's order) change in
        # their prospects, worked out in SQL rather than kept per prospect in memory.
        run = self.conn.exec_driver_sql
        actions, prospects = self.before["action"], self.before["prospect"]
        # The next touch: the step of its latest new action with one (the later line of
        # two at one instant), when that is later than every step it had before.
        run(
            "UPDATE prospect SET next_touch_on = ("
            " SELECT a.next_step_on FROM action a WHERE a.prospect_id = prospect.id"
            " AND a.id > :before AND a.next_step_on IS NOT NULL ORDER BY a.at DESC, a.id DESC"
            " LIMIT 1) "
            "WHERE id IN (SELECT prospect_id FROM action WHERE id > :before"
            " AND next_step_on IS NOT NULL) "
            "AND (SELECT max(a.at) FROM action a WHERE a.prospect_id = prospect.id"
            " AND a.id > :before AND a.next_step_on IS NOT NULL)"
            " > coalesce((SELECT max(a.at) FROM action a WHERE a.prospect_id = prospect.id"
            " AND a.id <= :before AND a.next_step_on IS NOT NULL), '')",
            {"before": actions},
        )
        run(
            "UPDATE prospect SET stopped = 1 WHERE id IN ("
            "SELECT prospect_id FROM action WHERE id > ? AND outcome = 'stop')",
            (actions,),
        )
        # A new prospect was created when its first touch was made (never after now).
        run(
            "UPDATE prospect SET created_at = min(?, ("
            "SELECT min(a.at) FROM action a WHERE a.prospect_id = prospect.id)) WHERE id > ?",
            (self.now, prospects),
        )
        spans = []
        for bid, (first, last) in self.created_blocks.items():
            span = round((_instant(last) - _instant(first)).total_seconds() / 60)
            minutes = min(span, MAX_BLOCK_MINUTES)  # a block_uid over weeks of rows
            spans.append((first, last, max(1, minutes), minutes, bid))
        each(
            "UPDATE block SET started_at = ?, ended_at = ?, planned_minutes = ?, "
            "actual_minutes = ? WHERE id = ?",
            spans,
        )


def _instant(text: str) -> dt.datetime:
    """A stored instant (``UTC_TEXT``) as an aware UTC datetime; ``fromisoformat`` reads
    it at a tenth of ``strptime``'s cost, which a million-row import feels."""
    return dt.datetime.fromisoformat(text)


def _new_uid() -> str:
    from prospector.models import new_uid

    return new_uid()


def _run_actions(
    store: Store,
    report: ImportReport,
    dry_run: bool,
    rows: Callable[[], Iterator[tuple[int, ActionRow | RowError]]],
) -> ImportReport:
    """Check every row, then (unless rejected or a dry run) merge them in one transaction.

    The check reads the file against a read snapshot and keeps what it would store in a
    staging file, without the write lock: a rep logging meanwhile is not kept waiting
    while a large file is parsed. The merge then takes the write lock and stores the
    kept rows through the same ``ActionSink`` against the database as it is by then, so
    a prospect created or a row imported in between is found, not duplicated. It lands
    whole or not at all.
    """
    with staging_beside(store.path) as staging:
        with store.engine.connect() as conn, conn.begin() as snapshot:
            sink = ActionSink(store, conn, report, write=False, staging=staging)
            for line, row in rows():
                if isinstance(row, RowError):
                    report.reject(line, str(row))
                else:
                    sink.add(row)
            sink.finish()
            snapshot.rollback()
        del sink  # its prospects by uid and name: the merge reads its own
        if report.rejected and not dry_run:
            raise ImportRejected(report)
        if dry_run or not staging.kept:
            return report
        merged = _merge(store, staging, report)
    for table, n in report.present.items():
        merged.count(table, n, present=True)
    return merged


BULK_TRIGGERS = ("action_day_count_insert", "prospect_touches_insert")
"""The triggers on inserting an action whose work a merge does in bulk instead."""


@contextlib.contextmanager
def _kept_in_bulk(conn: Connection) -> Iterator[None]:
    """The day counts and prospect summaries of the actions the block inserts, counted
    once at its end instead of row by row: those triggers are more than half a large
    merge's time, and the merge holds the write lock.

    All in the caller's transaction: SQLite's schema changes are transactional, so no
    other connection ever sees the file without its triggers, and a rollback brings them
    back. A file with any other insert trigger on ``action`` (one this code does not know
    how to stand in for) keeps its triggers as they are.
    """
    run = conn.exec_driver_sql
    listed = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'action'"
    triggers: dict[str, str] = {name: sql for name, sql in run(listed)}
    on_insert = {name for name, sql in triggers.items() if INSERT_TRIGGER.search(sql)}
    if on_insert != set(BULK_TRIGGERS):
        yield
        return
    before = run("SELECT coalesce(max(id), 0) FROM action").scalar()
    for name in BULK_TRIGGERS:
        run(f"DROP TRIGGER {name}")
    yield
    # Every row with a greater id is this merge's: SQLite gives a new row the largest
    # id plus one, and the write lock keeps anyone else from inserting meanwhile.
    run(
        "INSERT INTO action_day_count (local_date, kind, n) "
        "SELECT local_date, kind, count(*) FROM action WHERE id > ? GROUP BY local_date, kind "
        "ON CONFLICT (local_date, kind) DO UPDATE SET n = n + excluded.n",
        (before,),
    )
    for name in BULK_TRIGGERS:
        run(triggers[name])
    # The update trigger recounts a prospect's summary from all of its actions: one
    # no-op update of one new action per prospect the merge touched has it do that.
    run(
        "UPDATE action SET prospect_id = prospect_id WHERE id IN ("
        "SELECT min(id) FROM action WHERE id > ? AND prospect_id IS NOT NULL "
        "GROUP BY prospect_id)",
        (before,),
    )


def _merge(store: Store, staging: Staging, checked: ImportReport) -> ImportReport:
    """Store the rows ``staging`` kept, under the write lock, in one transaction."""
    report = ImportReport(checked.path, checked.source, dry_run=False)
    with store.writer.connect() as conn:
        transaction = conn.begin()
        # The note says so only while the lock is held: this import's own wait for the
        # lock, like anyone's, still ends at the busy timeout.
        with importing_into(store.path, checked.path):
            try:
                with _kept_in_bulk(conn):
                    sink = ActionSink(store, conn, report, write=True)
                    for row in staging.rows():
                        sink.add(row)
                    sink.finish()
            except BaseException:
                transaction.rollback()
                raise
            if report.rejected:
                transaction.rollback()
                raise ImportRejected(report)
            transaction.commit()
    return report


def _import_csv(
    store: Store,
    path: Path,
    dry_run: bool,
    mapping: Sequence[str],
    encoding: str | None,
    dayfirst: bool | None,
    delimiter: str | None,
    notify: Notify,
) -> ImportReport:
    fields = parse_map(mapping)
    codec = detect_encoding(path, encoding, notify)
    sep = detect_delimiter(path, codec, delimiter, notify)
    first = next(_records(path, codec, sep), None)
    if first is None:
        raise InvalidInput(f"{path} has no header line: there is nothing to import")
    header_line, header = first
    names = [h.strip() for h in header]
    names[0] = names[0].removeprefix("\u00ef\u00bb\u00bf").removeprefix("\ufeff").strip()
    duplicates = sorted({n for n in names if n and names.count(n) > 1})
    if duplicates:
        raise InvalidInput(
            f"{path} line {header_line}: column {duplicates[0]!r} appears twice; "
            "give every column its own name"
        )
    vocabulary = Vocabulary(store)
    ours = set(ACTION_COLUMNS) <= set(names)
    if not fields and not ours and {"uid", "at_utc"} <= set(names):
        missing = [c for c in ACTION_COLUMNS if c not in names]
        raise InvalidInput(
            f"{path} looks like a Prospector export but has no column {', '.join(missing)}; "
            "export it again, or import it as a plain CSV with --map"
        )
    if ours and not fields:
        extra = [n for n in names if n not in ACTION_COLUMNS]
        if extra:
            raise InvalidInput(
                f"{path} is a Prospector export with column(s) it does not have: "
                f"{', '.join(repr(e) for e in extra)}; remove them, or import with --map"
            )
        if dayfirst is not None:
            notify("dates: our own export writes ISO dates; --dayfirst/--monthfirst ignored")
        report = ImportReport(path, "Prospector CSV export", dry_run)
        index = {name: i for i, name in enumerate(names)}
        own = OwnRows(vocabulary, quoted=True)

        def own_rows() -> Iterator[tuple[int, ActionRow | RowError]]:
            return _parsed_records(
                path, codec, sep, len(names), lambda n, cells: own.row(n, _cells(cells, index))
            )

        return _run_actions(store, report, dry_run, own_rows)

    columns = _columns_of(path, names, fields, notify)
    style = DateStyle(
        detect_dayfirst(path, codec, sep, columns["date"], dayfirst, notify)
        if "next_step_on" not in columns
        else _dayfirst_of_columns(path, codec, sep, columns, dayfirst, notify)
    )
    tz = store.settings().timezone
    notify(f"times: read in {tz} (the timezone setting); no time given means 12:00")
    report = ImportReport(path, "CSV", dry_run)
    foreign = ForeignRows(vocabulary, columns, style, tz)

    def foreign_rows() -> Iterator[tuple[int, ActionRow | RowError]]:
        return _parsed_records(path, codec, sep, len(header), foreign.row)

    return _run_actions(store, report, dry_run, foreign_rows)


def _dayfirst_of_columns(
    path: Path,
    codec: str,
    sep: str,
    columns: dict[str, int],
    forced: bool | None,
    notify: Notify,
) -> bool | None:
    """Day first or not, judged on the date column and then the next-step column."""
    quiet: list[str] = []
    found = detect_dayfirst(path, codec, sep, columns["date"], forced, quiet.append)
    if found is None:
        found = detect_dayfirst(path, codec, sep, columns["next_step_on"], forced, quiet.append)
    for note in quiet[:1]:
        notify(note)
    return found


def _parsed_records(
    path: Path,
    codec: str,
    sep: str,
    width: int,
    parse: Callable[[int, list[str]], ActionRow],
) -> Iterator[tuple[int, ActionRow | RowError]]:
    """Each record after the header with its line: parsed into a row, or why it cannot
    be (a wrong number of cells, or what ``parse`` refused)."""
    body = _records(path, codec, sep)
    next(body)
    for line, record in body:
        if len(record) != width:
            yield line, _width_error(record, width)
            continue
        try:
            yield line, parse(line, record)
        except RowError as exc:
            yield line, exc


def _width_error(record: list[str], width: int) -> RowError:
    return RowError(
        f"{len(record)} cells where the header has {width}; "
        "a cell holding the delimiter must be quoted"
    )


# --- JSON Lines ----------------------------------------------------------------------


def _is_jsonl(path: Path) -> bool:
    with path.open("rb") as fh:
        first = fh.readline().lstrip(b"\xef\xbb\xbf").strip()
    try:
        record = json.loads(first)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(record, dict) and "uid" in record and "at_utc" in record


def _import_jsonl(store: Store, path: Path, dry_run: bool, notify: Notify) -> ImportReport:
    detect_encoding(path, "utf-8", _silent)
    notify("format: Prospector JSON Lines export")
    report = ImportReport(path, "Prospector JSON Lines export", dry_run)
    own = OwnRows(Vocabulary(store), quoted=False)

    def rows() -> Iterator[tuple[int, ActionRow | RowError]]:
        with path.open(encoding="utf-8-sig") as fh:
            for line, text in enumerate(fh, start=1):
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                except ValueError as exc:
                    yield line, RowError(f"not a JSON object ({exc})")
                    continue
                except RecursionError:
                    yield line, RowError(NESTED)
                    continue
                if not isinstance(record, dict):
                    yield line, RowError("not a JSON object")
                    continue
                unknown = sorted(set(record) - set(ACTION_COLUMNS))
                missing = [
                    c for c in ("uid", "at_utc", "timezone", "date", "kind") if c not in record
                ]
                if unknown or missing:
                    what = f"unknown key(s) {', '.join(unknown)}" if unknown else ""
                    what += ("; " if what else "") + (
                        f"missing key(s) {', '.join(missing)}" if missing else ""
                    )
                    yield line, RowError(what)
                    continue
                try:
                    yield line, own.row(line, _json_cells(record))
                except RowError as exc:
                    yield line, exc

    return _run_actions(store, report, dry_run, rows)


def _cells(record: list[str], index: dict[str, int]) -> Callable[[str], str]:
    return lambda name: record[index[name]]


def _json_cells(record: dict[str, Any]) -> Callable[[str], str]:
    return lambda name: _unicode(_text_of(record.get(name)), name)


def _text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise RowError(f"unexpected value {value!r}")
    return str(value)


# --- the JSON dump -------------------------------------------------------------------


NESTED = "lists or objects nested too deeply for a Prospector file"


class JsonStream:
    """One JSON object read member by member, its lists element by element, so a dump of
    a million actions is never held in memory whole. Tracks lines for messages."""

    WHITESPACE = re.compile(r"[ \t\n\r]*")

    def __init__(self, fh: TextIO, path: Path) -> None:
        self.fh = fh
        self.path = path
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.fh.read(1 << 16)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def _advance(self, to: int) -> None:
        self.line += self.buf.count("\n", self.pos, to)
        self.pos = to

    def fail(self, message: str, line: int | None = None) -> InvalidInput:
        return InvalidInput(
            f"{self.path} line {line or self.line}: {message}; "
            "the file is not a complete Prospector dump (export it again)"
        )

    def peek(self) -> str:
        while True:
            match = self.WHITESPACE.match(self.buf, self.pos)
            assert match is not None
            self._advance(match.end())
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def expect(self, chars: str) -> str:
        found = self.peek()
        if not found or found not in chars:
            shown = repr(found) if found else "the end of the file"
            raise self.fail(f"expected {' or '.join(repr(c) for c in chars)}, found {shown}")
        self._advance(self.pos + 1)
        return found

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except RecursionError:
                raise self.fail(NESTED) from None
            except json.JSONDecodeError as exc:
                if self._more():
                    continue
                line = self.line + self.buf.count("\n", self.pos, exc.pos)
                raise self.fail(f"not valid JSON ({exc.msg})", line) from None
            if end == len(self.buf) and self._more():
                continue
            self._advance(end)
            return value

    def members(self) -> Iterator[str]:
        """Each key of the top-level object; the caller reads its value before the next."""
        self.expect("{")
        if self.peek() == "}":
            self._advance(self.pos + 1)
        else:
            while True:
                if self.peek() != '"':
                    raise self.fail("expected a quoted key")
                key = self.value()
                self.expect(":")
                yield key
                if self.expect(",}") == "}":
                    break
        if self.peek():
            raise self.fail("more text after the end of the JSON document")

    def elements(self) -> Iterator[tuple[int, Any]]:
        """Each element of the list that starts here, with the line it starts on."""
        self.expect("[")
        if self.peek() == "]":
            self._advance(self.pos + 1)
            return
        while True:
            self.peek()
            line = self.line
            yield line, self.value()
            if self.expect(",]") == "]":
                return


def _dump_sections(path: Path) -> Iterator[tuple[str, Iterator[tuple[int, Any]] | Any]]:
    """(key, value) of each top-level member; lists come as element iterators, which the
    caller must consume (or not: what is left is skipped) before the next member."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        stream = JsonStream(fh, path)
        first = True
        for key in stream.members():
            if first and key != "format":
                raise InvalidInput(
                    f"{path} is JSON but not a Prospector dump (it does not start with "
                    f'"format": "{DUMP_FORMAT}"); import a file made by prospector export '
                    "--format json"
                )
            first = False
            if stream.peek() == "[":
                elements = stream.elements()
                yield key, elements
                for _ in elements:
                    pass
            else:
                yield key, stream.value()


class DumpChecker:
    """Checks every row of a dump section against its table and turns it into the tuple
    of column values to store."""

    def __init__(self, store: Store, spec: DumpTable, unique: bool = True) -> None:
        import sqlalchemy as sa

        from prospector import models
        from prospector.store import DAY_OFF_REASONS, MAX_COUNT

        self.store = store
        self.spec = spec
        self.vocabulary = Vocabulary(store)
        self.max_count = MAX_COUNT
        self.reasons = DAY_OFF_REASONS
        table: sa.Table = models.SQLModel.metadata.tables[spec.table]
        self.kinds: dict[str, str] = {}
        self.nullable: set[str] = set()
        self.defaults: dict[str, Any] = {}
        model = next(
            m
            for m in (
                models.Action,
                models.Block,
                models.DayOff,
                models.Prospect,
                models.Review,
                models.Setting,
                models.Target,
                models.Win,
            )
            if m.__tablename__ == spec.table
        )
        for column in table.columns:
            kind = type(column.type).__name__
            self.kinds[column.name] = {
                "UTCDateTime": "instant",
                "Date": "date",
                "Boolean": "bool",
                "Integer": "int",
                "Float": "float",
            }.get(kind, "text")
            if column.nullable:
                self.nullable.add(column.name)
            info = model.model_fields.get(column.name)
            if info is not None and not info.is_required() and info.default_factory is None:
                self.defaults[column.name] = info.default
        self.fields = spec.fields()
        self.links = dict(spec.links)
        self.unique = unique
        """Check that uids, ids and keys are not repeated (the first pass; the second knows)."""
        self.uids: dict[str, int] = {}
        self.ids: dict[int, int] = {}
        self.keys: dict[str, int] = {}
        """The table's other unique value (a name, a day, a week, a setting) -> its line."""
        self.zones: dict[str, ZoneInfo] = {}

    def check(self, line: int, record: object) -> dict[str, Any]:
        """The row as {column: value} ready to insert (links still as uids)."""
        if not isinstance(record, dict):
            raise RowError(f"a {self.spec.key} row must be a JSON object")
        unknown = sorted(set(record) - set(self.fields))
        if unknown:
            raise RowError(f"unknown field(s) {', '.join(unknown)} in {self.spec.key}")
        out: dict[str, Any] = {}
        for column, name in zip(self.spec.columns, self.fields, strict=True):
            if name not in record:
                if column in self.defaults:
                    out[name] = self.defaults[column]
                    continue
                if column in self.nullable or column == "id":
                    out[name] = None
                    continue
                raise RowError(f"{self.spec.key} row has no {name}")
            out[name] = self._value(column, name, record[name])
        self._domain(out)
        if not self.unique:
            return out
        unique = self._unique_key(out)
        if unique is not None:
            what, key = unique
            if key in self.keys:
                raise RowError(f"{what} is also on line {self.keys[key]}")
            self.keys[key] = line
        uid = out.get("uid")
        if isinstance(uid, str):
            if uid in self.uids:
                raise RowError(f"uid {uid} is also on line {self.uids[uid]}")
            self.uids[uid] = line
        rid = out.get("id")
        if isinstance(rid, int):
            if rid in self.ids:
                raise RowError(f"id {rid} is also on line {self.ids[rid]}")
            self.ids[rid] = line
        return out

    def _value(self, column: str, name: str, value: object) -> Any:
        if value is None:
            if column in self.nullable or column == "id":
                return None
            raise RowError(f"{name} must not be null")
        if column in self.links or column == "uid":
            if not isinstance(value, str) or not UID.fullmatch(value):
                raise RowError(f"bad {name} {value!r}")
            return value
        kind = self.kinds[column]
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise RowError(f"{name} must be a whole number, got {_short(value)}")
            if column == "id" and not 1 <= value <= MAX_ID:
                raise RowError(f"id must be between 1 and {MAX_ID}, got {_short(value)}")
            if not -MAX_ID <= value <= MAX_ID:
                raise RowError(f"{name} {_short(value)} is far too large")
            return value
        if kind == "float":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise RowError(f"{name} must be a number, got {_short(value)}")
            if not -1e15 < value < 1e15:  # also NaN and Infinity, which JSON readers allow
                raise RowError(f"{name} must be a plain number, got {_short(value)}")
            return float(value)
        if kind == "bool":
            if not isinstance(value, bool):
                raise RowError(f"{name} must be true or false, got {_short(value)}")
            return int(value)
        if not isinstance(value, str):
            raise RowError(f"{name} must be text, got {_short(value)}")
        _unicode(value, name)
        if kind == "date":
            return _iso_day(value, name)
        if kind == "instant":
            return _utc_text(value, name)
        return value

    def _domain(self, row: dict[str, Any]) -> None:
        """The rules the CLI and the store apply to the same values."""
        v = self.vocabulary
        key = self.spec.key
        if key in ("actions", "targets") and row["kind"] != v.kinds.get(row["kind"]):
            raise RowError(f"unknown kind {row['kind']!r}; kinds are {v.kind_list}")
        if key == "actions":
            if row["outcome"] not in v.outcomes.values():
                raise RowError(f"unknown outcome {row['outcome']!r}; outcomes are {v.outcome_list}")
            if row["minutes"] is not None and not 0 <= row["minutes"] <= MAX_MINUTES:
                raise RowError(f"minutes must be between 0 and {MAX_MINUTES}, got {row['minutes']}")
            if row["outcome"] in v.needs_date and row["next_step_on"] is None:
                raise RowError(f"outcome {row['outcome']} needs the date of the next step")
        if "tz" in row:
            self._agrees(row, v.zone(row["tz"]))
        if key == "prospects":
            self._prospect(row)
        if key == "wins":
            if not 1 <= row["amount_cents"] <= MAX_CENTS:
                raise RowError(
                    f"amount_cents must be between 1 and {MAX_CENTS} (an amount above zero "
                    f"and at most 1e12), got {row['amount_cents']}"
                )
            if not CURRENCY.fullmatch(row["currency"]):
                raise RowError(
                    f"currency must be a three-letter ISO 4217 code such as EUR, "
                    f"got {row['currency']!r}"
                )
        if key == "blocks":
            for column, low in (("planned_minutes", 1), ("actual_minutes", 0)):
                if row[column] is not None and not low <= row[column] <= MAX_BLOCK_MINUTES:
                    raise RowError(
                        f"{column} must be between {low} and {MAX_BLOCK_MINUTES}, got {row[column]}"
                    )
            if not 0 <= row["interruptions"] <= self.max_count:
                raise RowError(
                    f"interruptions must be between 0 and {self.max_count}, "
                    f"got {row['interruptions']}"
                )
            if row["ended_at"] is not None and row["ended_at"] < row["started_at"]:
                raise RowError(f"ended_at {row['ended_at']} is before started_at")
        if key == "reviews":
            self._review(row)
        if key == "targets":
            if row["per"] not in ("day", "week"):
                raise RowError(f"per must be day or week, got {row['per']!r}")
            if not 0 <= row["count"] <= self.max_count:
                raise RowError(f"count must be between 0 and {self.max_count}")
        if key == "days_off" and row["reason"] not in self.reasons:
            raise RowError(
                f"unknown reason {row['reason']!r}; reasons are {', '.join(self.reasons)}"
            )
        if key == "prospects":
            # The key is derived, never trusted from the file (an older dump has none).
            row["name_key"] = name_key(row["name"])
            if not row["name_key"]:
                raise RowError("a prospect needs a name")
        if key == "settings":
            from prospector import settings as settings_mod

            try:
                row["value"] = settings_mod.validate(self.store.data, row["key"], row["value"])
            except InvalidInput as exc:
                raise RowError(str(exc)) from None

    def _agrees(self, row: dict[str, Any], zone: str) -> None:
        """A row's local day must be the day of its instant in its zone: figures count
        by the stored day, the export and the app show the instant."""
        column = "started_at" if "started_at" in row else "at"
        found = self.zones.get(zone)
        if found is None:
            found = self.zones[zone] = ZoneInfo(zone)
        day = _local(row[column], found, column).date().isoformat()
        if row["local_date"] != day:
            raise RowError(
                f"local_date {row['local_date']} is not the day of {column} {row[column]} "
                f"in {zone}, which is {day}"
            )

    def _prospect(self, row: dict[str, Any]) -> None:
        from prospector.store import SOURCES, STAGES

        if not row["name"].strip():
            raise RowError("a prospect needs a name")
        if row["source"] not in SOURCES:
            raise RowError(f"unknown source {row['source']!r}; sources are {', '.join(SOURCES)}")
        if row["stage"] not in STAGES:
            raise RowError(f"unknown stage {row['stage']!r}; stages are {', '.join(STAGES)}")
        if row["est_value"] is not None and not 0 <= row["est_value"] < 1e12:
            raise RowError(
                f"est_value must be 0 or more and below 1e12, got {_short(row['est_value'])}"
            )

    def _review(self, row: dict[str, Any]) -> None:
        from prospector.review import parse_week, week_key
        from prospector.store.reviews import MAX_REFLECTION_CHARS, REFLECTION_FIELDS

        try:
            monday = parse_week(row["week"], "week")
        except InvalidInput as exc:
            raise RowError(str(exc)) from None
        if week_key(monday) != row["week"]:
            raise RowError(f"week {row['week']!r} must be written as {week_key(monday)}")
        _in_range(monday, "week", row["week"])
        try:
            figures = json.loads(row["figures_json"]) if row["figures_json"] else {}
        except ValueError:
            figures = None
        if not isinstance(figures, dict):
            raise RowError("figures_json must be a JSON object written as text, as exported")
        for column in REFLECTION_FIELDS:
            if len(row[column]) > MAX_REFLECTION_CHARS:
                raise RowError(
                    f"{column} must be at most {MAX_REFLECTION_CHARS} characters, "
                    f"got {len(row[column])}"
                )

    def _unique_key(self, row: dict[str, Any]) -> tuple[str, str] | None:
        """(what to call it, key) of the value that must be unique in this table, beside
        uid and id: SQLite would refuse a second one, but only when writing."""
        key = self.spec.key
        if key == "prospects":
            return f"a prospect named {row['name']!r}", row["name_key"]
        if key == "days_off":
            return f"day {row['day']}", row["day"]
        if key == "reviews":
            return f"the review of week {row['week']}", row["week"]
        if key == "settings":
            return f"setting {row['key']}", row["key"]
        return None


def _short(value: object) -> str:
    """A value for a message, cut short: a dump may hold a number of a thousand digits."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


MAX_ID = 2**53 - 1
"""The largest id a dump may give a row: the largest whole number every JSON reader
keeps exactly, so an id survives any tool the file passes through."""
MAX_CENTS = 10**14
"""1e12 in cents: the store's limit on an amount (``parse_amount``)."""
MAX_BLOCK_MINUTES = 7 * 24 * 60
"""A block rebuilt by an import spans its actions, which may run past a day; a week
is the most any read command needs to show."""
CURRENCY = re.compile(r"[A-Z]{3}")
_UID_TABLES = ("prospects", "blocks", "wins", "actions")
_EMPTY_CHECK = ("action", "prospect", "block", "win", "target", "day_off", "review")


def _import_dump(store: Store, path: Path, dry_run: bool, notify: Notify) -> ImportReport:
    bad = _first_bad_byte(path, "utf-8-sig")
    if bad is not None:
        raise InvalidInput(
            f"{path} line {bad[0]}: byte 0x{bad[1]:02X} is not UTF-8; a dump is always "
            "UTF-8: export it again"
        )
    notify("format: Prospector JSON dump")
    report = ImportReport(path, "Prospector JSON dump", dry_run)
    specs = {spec.key: spec for spec in dump_tables()}
    checkers = {key: DumpChecker(store, spec) for key, spec in specs.items()}
    small: dict[str, list[dict[str, Any]]] = {key: [] for key in specs if key != "actions"}
    links: dict[str, dict[str, int]] = {"prospect": {}, "block": {}}
    """Referenced uid -> first line naming it, per linked table."""
    with store.engine.connect() as conn:
        counts = {
            table: conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() or 0
            for table in _EMPTY_CHECK
        }
        empty = not any(counts.values())
        present = {key: 0 for key in _UID_TABLES}
        totals = dict.fromkeys(specs, 0)
        pending: list[str] = []

        def check_present(force: bool = False) -> None:
            if not empty and pending and (force or len(pending) >= BATCH):
                marks = ",".join("?" * len(pending))
                present["actions"] += (
                    conn.exec_driver_sql(
                        f"SELECT count(*) FROM action WHERE uid IN ({marks})", tuple(pending)
                    ).scalar()
                    or 0
                )
                pending.clear()

        version_seen = False
        for key, value in _dump_sections(path):
            if key == "format":
                if value != DUMP_FORMAT:
                    raise InvalidInput(f"{path} is not a Prospector dump (format {_shown(value)})")
                continue
            if key == "version":
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    raise InvalidInput(f"{path}: bad dump version {_shown(value)}")
                if value > DUMP_VERSION:
                    raise InvalidInput(
                        f"{path} was written by a newer Prospector (dump version {value}); "
                        "upgrade Prospector to import it"
                    )
                version_seen = True
                continue
            if key in ("app", "exported_at"):
                continue
            if key not in specs:
                raise InvalidInput(
                    f"{path} has a section {key!r} that this version of Prospector does "
                    f"not know; sections are {', '.join(specs)}"
                )
            if not isinstance(value, Iterator):
                raise InvalidInput(f"{path}: the section {key!r} must be a list")
            checker = checkers[key]
            for line, record in value:
                totals[key] += 1
                try:
                    row = checker.check(line, record)
                except RowError as exc:
                    report.reject(line, f"{key}: {exc}")
                    uid = record.get("uid") if isinstance(record, dict) else None
                    if isinstance(uid, str):
                        checker.uids.setdefault(uid, line)  # its links are not errors too
                    continue
                for column, table in specs[key].links:
                    ref = row[column.removesuffix("_id") + "_uid"]
                    if ref is not None:
                        links[table].setdefault(ref, line)
                if key == "actions":
                    if len(report.preview) < PREVIEW:
                        report.preview.append(_describe_dump_action(line, row))
                    if not empty:
                        pending.append(row["uid"])
                        check_present()
                else:
                    small[key].append(row)
        check_present(force=True)
        if not version_seen:
            raise InvalidInput(f"{path} has no dump version; export it again")
        for table, key in (("prospect", "prospects"), ("block", "blocks")):
            for ref, line in links[table].items():
                if ref not in checkers[key].uids:
                    report.reject(line, f"names {table} {ref}, which is not in the dump")
        if not empty:
            for key, table in (("prospects", "prospect"), ("blocks", "block"), ("wins", "win")):
                uids = [row["uid"] for row in small[key]]
                for start in range(0, len(uids), BATCH):
                    part = uids[start : start + BATCH]
                    marks = ",".join("?" * len(part))
                    present[key] += (
                        conn.exec_driver_sql(
                            f"SELECT count(*) FROM {table} WHERE uid IN ({marks})", tuple(part)
                        ).scalar()
                        or 0
                    )
    for key in specs:
        report.count(key, totals[key])
    if report.rejected:
        if dry_run:
            return report
        raise ImportRejected(report)
    if not empty:
        held = sum(present.values())
        wanted = sum(totals[k] for k in _UID_TABLES)
        if held == wanted:
            report.added = {}
            report.present = {k: totals[k] for k in specs if totals[k]}
            return report
        holds = ", ".join(_rows_of(table, n) for table, n in counts.items() if n)
        share = f"; it holds {held:,} of the dump's {wanted:,} rows" if held else ""
        raise InvalidInput(
            f"the database already holds data ({holds}){share}; a dump is restored into an "
            "empty database: choose a new file, e.g. prospector --db restored.db import "
            f"{path}"
        )
    if dry_run:
        return report
    refs: dict[str, dict[str, int]] = {}
    for key, table in (("prospects", "prospect"), ("blocks", "block")):
        _number_rows(small[key])
        refs[table] = {row["uid"]: row["id"] for row in small[key]}
    for key in ("targets", "wins", "reviews"):
        _number_rows(small[key])
    with store.writer.begin() as conn:
        conn.exec_driver_sql("DELETE FROM setting")
        for key, spec in specs.items():
            if key != "actions":
                _insert_rows(conn, spec, small[key], refs)
        again = DumpChecker(store, specs["actions"], unique=False)
        batch: list[dict[str, Any]] = []
        for key, value in _dump_sections(path):
            if key != "actions" or not isinstance(value, Iterator):
                continue
            for line, record in value:
                try:
                    batch.append(again.check(line, record))
                except RowError as exc:
                    raise InvalidInput(
                        f"{path} line {line} changed during the import ({exc}); "
                        "nothing was imported"
                    ) from None
                if len(batch) >= BATCH:
                    _insert_rows(conn, specs["actions"], batch, refs)
                    batch = []
        _insert_rows(conn, specs["actions"], batch, refs)
    return report


def _rows_of(table: str, n: int) -> str:
    one, many = {"day_off": ("day off", "days off")}.get(table, (table, table + "s"))
    return f"{n:,} {one if n == 1 else many}"


def _number_rows(rows: list[dict[str, Any]]) -> None:
    """Give rows without an id the next free ones, so links can name them."""
    if "id" not in (rows[0] if rows else {}):
        return
    top = max((row["id"] or 0 for row in rows), default=0)
    for row in rows:
        if row["id"] is None:
            top += 1
            row["id"] = top


def _insert_rows(
    conn: Connection,
    spec: DumpTable,
    rows: Sequence[dict[str, Any]],
    refs: dict[str, dict[str, int]],
) -> None:
    """Insert checked dump rows, their links turned from uids into ids."""
    if not rows:
        return
    linked = dict(spec.links)
    names = spec.fields()
    values = []
    for row in rows:
        out = []
        for column, name in zip(spec.columns, names, strict=True):
            value = row[name]
            if column in linked and value is not None:
                value = refs[linked[column]][value]
            out.append(value)
        values.append(tuple(out))
    columns = ", ".join(spec.columns)
    marks = ", ".join("?" * len(spec.columns))
    conn.exec_driver_sql(f"INSERT INTO {spec.table} ({columns}) VALUES ({marks})", values)


def _describe_dump_action(line: int, row: dict[str, Any]) -> str:
    text = f"line {line}: {row['local_date']} {row['kind']}, {row['outcome']}"
    if row.get("prospect_uid"):
        text += f", prospect {row['prospect_uid']}"
    return text


def _shown(value: object) -> str:
    """A top-level dump value for a message: a list is read lazily, so not shown."""
    return "a list" if isinstance(value, Iterator) else _short(value)
