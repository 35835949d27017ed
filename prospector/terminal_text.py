"""User text on a terminal: shown, never obeyed.

A prospect's name, a note or an imported cell may hold control characters (an ESC
starting a sequence that clears the screen, retitles the window or writes the clipboard;
a C1 character such as U+009B that some terminals read as a one-byte CSI; a bidi
override that turns the rest of the line around). None of them may reach a terminal
raw. This module is the one place that decides how they look instead:

- C0 controls and DEL become Unicode's own pictures of them (U+2400-U+2421: ``␛``,
  ``␇``, ``␉``): one column for one character, so tables padded before the text was
  made visible stay aligned, and a rep sees that something odd is in the name.
- Characters without a picture (C1 controls, bidi embeddings, overrides and isolates,
  line and paragraph separators, and lone surrogates from undecodable bytes) become
  ``<U+009B>``: the standard way to name a code point, which anyone can look up.
  Bidi *marks* (LRM, RLM, ALM) and joiners stay: Arabic, Hebrew, Persian and emoji
  need them, and they open no state that leaks past the text they sit in.
- Newline is layout and stays; so does CR directly before it (CRLF, as CSV and
  iCalendar end their lines). A lone CR, which would let text overwrite its own
  line, is shown.

JSON keeps every one of them as a ``\\u009b``-style escape instead: valid JSON that reads back
to the very same string (``json.dump(..., ensure_ascii=False)`` escapes C0 but writes
C1 characters raw).

Nothing here imports Textual; the app uses ``visible`` where records become display
text, the CLI installs ``SafeStream`` over stdout and stderr once, in ``main``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TextIO, TypeVar, cast

_P = ParamSpec("_P")
_R = TypeVar("_R")

_NO_PICTURE = (
    "\x80-\x9f"  # C1 controls
    "\u2028\u2029"  # line and paragraph separator
    "\u202a-\u202e"  # bidi embeddings and overrides (LRE RLE PDF LRO RLO)
    "\u2066-\u2069"  # bidi isolates (LRI RLI FSI PDI)
    "\ud800-\udfff"  # lone surrogates: undecodable bytes from argv or a file name
)
_SHOWN = re.compile(f"[\x00-\x09\x0b-\x1f\x7f{_NO_PICTURE}]")
"""Every character the terminal must not get raw, newline aside."""
_SHOWN_KEEPING_CRLF = re.compile(f"\r(?!\n)|[\x00-\x09\x0b\x0c\x0e-\x1f\x7f{_NO_PICTURE}]")
_JSON_ESCAPED = re.compile(f"[\x7f{_NO_PICTURE}]")
"""What ``json.dumps(ensure_ascii=False)`` leaves raw and a terminal could obey."""
PICTURE_PROBE = "\u241b"


def picture(char: str) -> str:
    """How one character ``visible`` replaces is shown: its control picture if Unicode
    has one, else its code point as ``<U+009B>``."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def _tag(char: str) -> str:
    return f"<U+{ord(char):04X}>"


def _picture_match(match: re.Match[str]) -> str:
    return picture(match.group())


def _tag_match(match: re.Match[str]) -> str:
    return _tag(match.group())


def visible(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every control character shown rather than obeyed.

    ``keep_newlines=False`` shows newlines too (``␊``), for a one-line place such as a
    table cell or a title, where a newline in a note would break the layout.
    """
    if keep_newlines:
        return _SHOWN.sub(_picture_match, text)
    return _SHOWN.sub(_picture_match, text).replace("\n", "\u240a")


def is_visible(text: str) -> bool:
    """Whether ``text`` holds nothing a terminal would obey (newlines aside)."""
    return _SHOWN.search(text) is None


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(encoded: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with DEL, C1, bidi
    controls, separators and lone surrogates escaped as ``\\u`` and four hex digits.

    Those characters can only stand inside a JSON string (the rest of JSON is ASCII),
    where ``\\u`` and four hex digits mean the same character: the result parses to the same value.
    """
    if (encoded.isascii() and "\x7f" not in encoded) or _JSON_ESCAPED.search(encoded) is None:
        return encoded  # the ASCII test first: the export calls this for every row
    return _JSON_ESCAPED.sub(_json_escape, encoded)


def json_text(payload: Any, *, indent: int | None = 2) -> str:
    """``payload`` as JSON that is safe on a terminal and readable in any script: UTF-8
    letters as they are, every control character escaped."""
    return json_safe(json.dumps(payload, indent=indent, ensure_ascii=False))


def json_encoder() -> Callable[[Any], str]:
    """A one-line JSON encoder like ``json_text(value, indent=None)``, made once for
    writers that encode a row at a time (the JSON Lines export and the dump)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode

    def encode_safely(value: Any) -> str:
        return json_safe(encode(value))

    return encode_safely


class SafeStream:
    """A text stream over stdout or stderr that shows control characters (``visible``)
    instead of passing them to the terminal.

    Installed once by the CLI's ``main`` so no command can forget it. CRLF passes as a
    line end; a CR at the end of one write waits for the next to see whether LF follows.

    Data streams stay byte-exact: ``buffer`` (the binary stream under it, which
    ``prospector export`` writes its files to) is handed out only when the stream is
    not a terminal. Exported to a terminal, the data goes through this stream instead
    and is shown: nobody can import from a screen, and the file in a pipe or with
    ``-o`` is untouched.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._pending = ""
        self._pictures = _encodes(stream, PICTURE_PROBE)

    @property
    def wrapped(self) -> TextIO:
        """The stream this one writes to."""
        return self._stream

    def write(self, text: str) -> int:
        """Write ``text`` with its control characters shown; the length of ``text``."""
        if not text:
            return 0
        data = self._pending + text
        self._pending = ""
        if data.endswith("\r"):
            data, self._pending = data[:-1], "\r"
        if data:
            replace = _picture_match if self._pictures else _tag_match
            self._stream.write(_SHOWN_KEEPING_CRLF.sub(replace, data))
        return len(text)

    def writelines(self, lines: Iterator[str] | list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Write a CR still waiting (as ``␍``: nothing followed it) and flush."""
        if self._pending:
            self._pending = ""
            self._stream.write(picture("\r") if self._pictures else _tag("\r"))
        self._stream.flush()

    def close(self) -> None:
        """Close the stream under this one (the CLI closes stderr after a broken pipe)."""
        try:
            self.flush()
        finally:
            self._stream.close()

    def isatty(self) -> bool:
        return _isatty(self._stream)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer" and _isatty(self._stream):
            raise AttributeError("a terminal gets text, shown safely, not raw bytes")
        return getattr(self._stream, name)


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _encodes(stream: TextIO, text: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


@contextlib.contextmanager
def safe_std_streams() -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` as ``SafeStream`` for the duration; the old
    streams back afterwards (tests capture output per test)."""
    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = cast(TextIO, SafeStream(sys.stdout))
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = cast(TextIO, SafeStream(sys.stderr))
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, SafeStream) and stream not in saved:
                # A closed or broken pipe: nothing more can be shown.
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()
        sys.stdout, sys.stderr = saved


def shown_safely(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` (the CLI's ``main``) with ``safe_std_streams``."""

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with safe_std_streams():
            return function(*args, **kwargs)

    return run
