"""Pieces the editing screens share: a labelled field with its inline error, validators
that reuse the core's own checks, a yes/no modal, and the formatting of money and dates.

Validation lives in the core (``prospector.settings.validate``, ``parse_date``, the
store's ``InvalidInput``); the forms only run those checks and put their message under
the field it concerns, so the TUI and the CLI can never disagree about what is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from prospector.errors import InvalidInput, ProspectorError

DialogResult = TypeVar("DialogResult")


class Dialog(ModalScreen[DialogResult]):
    """A small box in the middle of the screen that asks one thing (minutes, a date, a
    note, a name). The look is shared here; each dialog sets its width and what is
    particular to it, e.g. ``NoteModal > Vertical { width: 80; }``."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        & > Vertical {
            width: 80;
            height: auto;
            padding: 1 2;
            border: thick $accent;
            border-title-color: $accent;
            border-title-style: bold;
            border-subtitle-color: $text-muted;
            background: $surface;
        }
    }
    """


__all__ = [
    "ConfirmScreen",
    "FormField",
    "ParseValidator",
    "error_reason",
    "money",
    "short_date",
]

CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}


def money(value: float | None, currency: str) -> str:
    """An amount as a rep reads it: ``€32,000``, ``CHF 1,250.50``; empty when unknown."""
    if value is None:
        return ""
    amount = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    sign = CURRENCY_SIGNS.get(currency)
    return f"{sign}{amount}" if sign else f"{currency} {amount}"


def short_date(day: dt.date, today: dt.date) -> str:
    """``20 Nov`` this year, ``20 Nov 2025`` otherwise: short, and never ambiguous."""
    return f"{day.day} {day:%b}" if day.year == today.year else f"{day.day} {day:%b %Y}"


def error_reason(error: BaseException | None) -> str:
    """What went wrong, in the words the core chose (a ``ProspectorError`` is written for
    the rep); a database driver error is unwrapped to its original message."""
    if error is None:
        return "unknown error"
    if isinstance(error, ProspectorError):
        return str(error)
    return str(getattr(error, "orig", None) or error)


def say_failed(node: Widget, what: str, error: BaseException | None, title: str) -> None:
    """Tell the rep what could not be done and why, alike on every screen: an error
    notice that stays ten seconds."""
    reason = error_reason(error)
    node.notify(f"Could not {what}: {reason}", title=title, severity="error", timeout=10)


class ParseValidator(Validator):
    """Accepts what a core parser accepts; its ``InvalidInput`` message is the failure.

    ``parse`` is e.g. ``lambda raw: settings.validate(data, key, raw)``: the form then
    refuses exactly what the store would refuse, with the same explanation.
    """

    def __init__(
        self, parse: Callable[[str], object], rename: tuple[str, str] | None = None
    ) -> None:
        super().__init__()
        self.parse = parse
        self.rename = rename
        """(key, label): core messages name the setting key; the form names the field."""

    def validate(self, value: str) -> ValidationResult:
        try:
            self.parse(value)
        except InvalidInput as error:
            message = str(error)
            if self.rename is not None and message.startswith(self.rename[0]):
                message = self.rename[1] + message.removeprefix(self.rename[0])
            return self.failure(message, value)
        return self.success()


class FormField(Vertical):
    """A label, one control, and the line under it that says what is wrong with it.

    The field listens to its own ``Input``: typing clears the message, leaving the
    field (blur) or pressing Enter shows the validators' verdict. Errors that only the
    store can find (a duplicate name) are put here with ``show_error``.
    """

    DEFAULT_CSS = """
    FormField {
        height: auto;
        & > .field-label { color: $text-muted; padding: 0 1; }
        & > .field-error { color: $text-error; padding: 0 1; display: none; }
        & > .field-error.-shown { display: block; }
    }
    """

    error: reactive[str] = reactive("")

    def __init__(
        self,
        label: str,
        control: Widget,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        self.control = control

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label", markup=False)
        yield self.control
        yield Static("", classes="field-error", markup=False)

    def watch_error(self, error: str) -> None:
        line = self.query_one(".field-error", Static)
        line.update(error[:1].upper() + error[1:])
        line.set_class(bool(error), "-shown")
        self.control.set_class(bool(error), "-invalid")

    def show_error(self, message: str) -> None:
        self.error = message

    def check(self) -> bool:
        """Run the control's validators now; show and return whether it passed."""
        if not isinstance(self.control, Input):
            return not self.error
        result = self.control.validate(self.control.value)
        self.error = _first_failure(result)
        return not self.error

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self.control:
            self.error = ""

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if event.input is self.control and event.value:
            self.error = _first_failure(event.validation_result)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self.control:
            self.error = _first_failure(event.validation_result)


def _first_failure(result: ValidationResult | None) -> str:
    if result is None or result.is_valid:
        return ""
    return result.failure_descriptions[0] if result.failure_descriptions else "not valid"


class ConfirmScreen(ModalScreen[bool]):
    """Ask before something that cannot be undone with a key; ``True`` means go ahead."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        & > Vertical {
            width: 64;
            height: auto;
            border: round $warning;
            border-title-color: $warning;
            border-title-style: bold;
            background: $surface;
            padding: 1 2;
        }
        & Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
        & Button { margin-left: 1; }
    }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, question: str, yes: str = "Remove") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(self.question, markup=False)
            with Horizontal():
                yield Button(f"{self.yes} (y)", variant="error", id="yes")
                yield Button("Keep (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
