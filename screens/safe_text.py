"""Text from the records made fit for a widget: control characters shown, markup in it
never obeyed.

Textual strips only BEL, BS, VT, FF and CR from widget text: an ESC, a C1 character or
DEL in a name goes to the terminal as it is, inside the frame Textual writes, where it
can clear the screen or move the cursor. And a ``str`` in a ``Static``, a ``DataTable``
cell, a border title, an option or a notification is read as markup, where
``[@click=app.quit]`` is an action and ``[/]`` with nothing open crashes the screen;
``textual.markup.escape`` leaves ``[$accent]``, ``[B]`` and a trailing backslash alone.

So every value that came from the rep or a file (names, companies, notes, sources,
reflections, settings) goes through one of these on its way to a widget:

- ``plain``: for a place that takes no markup (``markup=False``, ``Text``, ``Content``,
  an ``Input``'s placeholder);
- ``markup``: to put into a markup string;
- ``cell``: a ``DataTable`` cell, which reads a ``str`` as markup;
- ``SafeInput``: an ``Input`` filled from the records.

How control characters look is decided once, in ``prospector.terminal_text``.
"""

from __future__ import annotations

from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual.widgets import Input

from prospector.terminal_text import visible

ZERO_WIDTH_SPACE = "\u200b"


def plain(text: str, *, one_line: bool = True) -> str:
    """``text`` with control characters shown; on one line unless ``one_line=False``
    (a note shown in full may keep its line breaks)."""
    return visible(text, keep_newlines=not one_line)


def markup(text: str, *, one_line: bool = True) -> str:
    """``plain(text)`` escaped for a markup string: every ``[`` is escaped, and a
    trailing backslash (which would escape the tag after it) is kept apart from that
    tag by a zero-width space."""
    escaped = plain(text, one_line=one_line).replace("[", "\\[")
    return escaped + ZERO_WIDTH_SPACE if escaped.endswith("\\") else escaped


def cell(text: str, **style: object) -> Text:
    """A ``DataTable`` cell holding ``text`` as written (a ``str`` cell is markup)."""
    return Text(plain(text), **style)  # type: ignore[arg-type]


class ShownControls(Highlighter):
    """Shows control characters in an ``Input``'s text one for one (so the cursor stays
    where it is): C0 and DEL as their pictures, the others as U+FFFD. The value itself
    is left as it is, so saving an unchanged field changes nothing."""

    def highlight(self, text: Text) -> None:
        if plain(text.plain) != text.plain:
            shown = (plain(char) for char in text.plain)
            text.plain = "".join(c if len(c) == 1 else "\ufffd" for c in shown)


class SafeInput(Input):
    """An ``Input`` whose text shows control characters instead of sending them to the
    terminal: for fields filled from the records (a name to edit, a reflection)."""

    def __init__(self, value: str | None = None, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("highlighter", ShownControls())
        super().__init__(value, *args, **kwargs)
