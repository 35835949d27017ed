"""User text never reaches the terminal raw: shown in text, escaped in JSON.

A name such as ``Esc`` ESC ``]0;PWNED`` BEL ESC ``[2J`` would retitle the window and
clear the screen if printed as it is; these tests hold every output path to showing it.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.cli import main
from prospector.names import clean_name
from prospector.store import Store
from prospector.terminal_text import (
    SafeStream,
    is_visible,
    json_safe,
    json_text,
    safe_std_streams,
    visible,
)

Run = Callable[..., tuple[int, str, str]]

HOSTILE = "Esc\x1b]0;PWNED\x07\x1b[2J"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What may never reach a terminal: every control character but newline, C1, bidi
embeddings, overrides and isolates, separators and lone surrogates."""
JSON_RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

controls = st.sampled_from(
    [chr(c) for c in range(0x20)]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\u2028", "\u2029", "\u200e", "\u200f", "\u061c", "\u200d"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\x1b[2J", "\x1b]0;PWNED\x07", "\x1b]52;c;cHduZWQ=\x1b\\", "\x9b31m", "\r\n"]
)
hostile_text = st.lists(st.one_of(st.text(), controls), max_size=12).map("".join)
"""Arbitrary text (lone surrogates included) with control characters and whole
escape sequences mixed in, so that every one is tried often."""


def only_safe(text: str) -> bool:
    """Nothing raw but newlines, and CR only right before a newline (CRLF)."""
    return RAW.search(text.replace("\r\n", "\n")) is None


def test_the_example_is_shown_with_pictures() -> None:
    assert visible(HOSTILE) == "Esc␛]0;PWNED␇␛[2J"


def test_c1_bidi_and_surrogates_are_named_by_code_point() -> None:
    assert visible("a\x9b31mb\u202ec\udcff") == "a<U+009B>31mb<U+202E>c<U+DCFF>"


def test_bidi_marks_and_joiners_stay_for_the_scripts_that_need_them() -> None:
    text = "\u05e9\u05dc\u05d5\u05dd\u200f \u0645\u061c \U0001f468\u200d\U0001f469 \u200c"
    assert visible(text) == text


def test_newlines_stay_unless_asked() -> None:
    assert visible("a\nb\tc") == "a\nb␉c"
    assert visible("a\nb", keep_newlines=False) == "a␊b"


@given(hostile_text)
def test_visible_leaves_nothing_a_terminal_would_obey(text: str) -> None:
    shown = visible(text)
    assert RAW.search(shown) is None
    assert is_visible(shown)
    assert "\n" not in visible(text, keep_newlines=False)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_c0_and_del_keep_their_width(text: str) -> None:
    """One picture for one control: columns padded before showing stay aligned."""
    assert len(visible(text)) == len(text)


@given(hostile_text)
def test_json_text_parses_back_to_the_same_string(text: str) -> None:
    encoded = json_text({"name": text, "list": [text]})
    assert JSON_RAW.search(encoded.replace("\n", "")) is None
    assert json.loads(encoded) == {"name": text, "list": [text]}


def test_json_escapes_c1_that_json_dump_writes_raw() -> None:
    raw = json.dumps("\x9b", ensure_ascii=False)
    assert raw == '"\x9b"'
    assert json_safe(raw) == '"\\u009b"'
    assert json_text("\u202e\x7f") == '"\\u202e\\u007f"'


@given(hostile_text, st.lists(st.integers(min_value=0, max_value=40), max_size=5))
def test_the_stream_shows_controls_whatever_the_writes_are_cut_into(
    text: str, cuts: list[int]
) -> None:
    out = io.StringIO()
    stream = SafeStream(out)
    start = 0
    for cut in sorted(cuts):
        stream.write(text[start:cut])
        start = max(start, cut)
    stream.write(text[start:])
    stream.flush()
    assert only_safe(out.getvalue())
    assert out.getvalue().replace("\r\n", "\n") == visible(text.replace("\r\n", "\n"))


def test_the_stream_keeps_crlf_and_shows_a_lone_cr() -> None:
    out = io.StringIO()
    stream = SafeStream(out)
    stream.write("a,b\r")
    stream.write("\nover\rwrite\r")
    stream.flush()
    assert out.getvalue() == "a,b\r\nover␍write␍"


class FakeTerminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


def test_raw_bytes_only_when_not_a_terminal() -> None:
    """Export writes its file to ``buffer``: byte-exact into a pipe or file, never raw
    onto a screen."""
    piped = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    assert SafeStream(piped).buffer is piped.buffer
    terminal = FakeTerminal(io.BytesIO(), encoding="utf-8")
    assert getattr(SafeStream(terminal), "buffer", None) is None


def test_an_encoding_without_pictures_gets_code_points() -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    stream = SafeStream(out)
    stream.write(HOSTILE + "\n")
    stream.flush()
    out.seek(0)
    assert out.buffer.getvalue() == b"Esc<U+001B>]0;PWNED<U+0007><U+001B>[2J\n"  # type: ignore[attr-defined]


def test_the_streams_are_put_back(capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    before = sys.stdout, sys.stderr
    with safe_std_streams():
        assert isinstance(sys.stdout, SafeStream) and isinstance(sys.stderr, SafeStream)
        print(HOSTILE)
        print(HOSTILE, file=sys.stderr)
    assert (sys.stdout, sys.stderr) == before
    out, err = capsys.readouterr()
    assert out == err == "Esc␛]0;PWNED␇␛[2J\n"


def test_prospect_list_and_show_print_the_name_shown(cli: Run) -> None:
    code, out, _ = cli("prospect", "add", HOSTILE, "--company", "\x9b31mAcme\u202e")
    assert code == 0 and only_safe(out) and "Esc␛]0;PWNED␇␛[2J" in out
    for args in (("prospect", "list"), ("prospect", "show", HOSTILE), ("followups",)):
        code, out, err = cli(*args)
        assert code == 0, err
        assert only_safe(out) and "Esc␛]0;PWNED␇␛[2J" in out
        assert "<U+009B>31mAcme<U+202E>" in out or args == ("followups",)


def test_errors_quoting_input_are_shown(cli: Run) -> None:
    code, out, err = cli("prospect", "show", HOSTILE)
    assert code == 2 and only_safe(err) and "PWNED" in err
    code, out, err = cli("log", HOSTILE)
    assert code == 2 and only_safe(err) and "PWNED" in err
    code, out, err = cli("settings", "set", "currency", HOSTILE)
    assert only_safe(out + err)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile_text)
def test_every_command_output_is_safe_and_json_round_trips(
    cli: Run, store: Store, text: str
) -> None:
    """Text straight into the store (as an import or the app would put it), then out
    through the CLI: no raw control character in text, the exact string in JSON."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return  # SQLite stores UTF-8: a lone surrogate never gets into the database
    n = len(store.prospects())
    name = clean_name(f"<{n}>{text}<end>")  # names are stored with single spaces
    store.add_prospect(name)
    plain = store.add_prospect(f"plain {n}", company=f"[{text}]")
    store.log_actions("call", prospect_id=plain.id, note=f"[{text}]")
    for args in (("prospect", "list"), ("prospect", "show", f"plain {n}"), ("followups",)):
        code, out, err = cli(*args)
        assert code == 0, err
        assert only_safe(out) and only_safe(err)
    code, out, _ = cli("prospect", "list", "--json")
    assert JSON_RAW.search(out.replace("\n", "")) is None
    assert name in [p["name"] for p in json.loads(out)["prospects"]]
    code, out, _ = cli("prospect", "show", name, "--json")
    assert code == 0 and json.loads(out)["name"] == name
    code, out, _ = cli("prospect", "show", f"plain {n}", "--json")
    assert JSON_RAW.search(out.replace("\n", "")) is None
    shown = json.loads(out)
    assert shown["company"] == shown["history"][0]["note"] == f"[{text}]"


def test_review_json_is_escaped_and_its_text_shown(cli: Run, store: Store) -> None:
    prospect = store.add_prospect("Zoë\x9b", company="")
    store.log_actions("call", prospect_id=prospect.id, note="\u202enote")
    code, out, _ = cli("review", "--format", "json")
    assert code == 0 and JSON_RAW.search(out.replace("\n", "")) is None
    json.loads(out)
    code, out, _ = cli("review")
    assert code == 0 and only_safe(out)


def test_export_is_exact_into_a_pipe_and_shown_on_a_terminal(
    cli: Run, store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CSV is a file format: byte-exact when piped (``import`` reads it back), shown
    when it lands on a screen, where nobody can import it from."""
    import sys

    prospect = store.add_prospect(HOSTILE)
    store.log_actions("call", prospect_id=prospect.id, note="a\x9bb")
    code, out, _ = cli("export", "--format", "csv")
    assert code == 0 and HOSTILE in out and "a\x9bb" in out
    terminal = FakeTerminal(io.BytesIO(), encoding="utf-8", newline="")
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["--db", str(db_path), "export", "--format", "csv"]) == 0
    terminal.flush()
    shown = terminal.buffer.getvalue().decode()  # type: ignore[attr-defined]
    assert only_safe(shown) and "Esc␛]0;PWNED␇␛[2J" in shown and "a<U+009B>b" in shown
    assert shown.endswith("\r\n")
