"""The help screen, and reading keys off the bindings so that no list of keys can drift.

Everything a key does is a ``Binding`` with a description (and usually an id and a
tooltip) on the app or a screen. The help screen, the getting-started guide and the
command palette all read those bindings as they are in force, keymap included, so
remapping a key or adding a binding updates all three.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

__all__ = ["HelpScreen", "KeyRow", "KeySection", "key_for", "key_sections"]


@dataclass(frozen=True)
class KeyRow:
    keys: str
    """The key as the footer shows it; several keys for one action are joined."""
    description: str
    tooltip: str
    enabled: bool
    """False for a key that exists here but does nothing right now (dimmed)."""


@dataclass(frozen=True)
class KeySection:
    title: str
    rows: tuple[KeyRow, ...]


def is_plumbing(binding: Binding) -> bool:
    """Textual's own keys (focus cycling, scrolling, copying, moving a cursor): hidden
    from the footer and without an id, unlike every command of ours."""
    return binding.system or (binding.id is None and not binding.show)


def section_title(node: DOMNode, screen: Screen[Any]) -> str:
    if node is screen.app:
        return "Everywhere"
    if node is screen:
        return "On this screen"
    return f"In the focused {type(node).__name__}"


def key_sections(screen: Screen[Any]) -> tuple[KeySection, ...]:
    """Every described key in force on ``screen``: focused widget, screen, then the app.

    Textual's plumbing (see ``is_plumbing``) is left out; a binding listed under
    several keys becomes one row.
    """
    app = screen.app
    grouped: dict[DOMNode, dict[tuple[str, str], KeyRow]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or is_plumbing(binding):
            continue
        rows = grouped.setdefault(active.node, {})
        description = binding.description[:1].upper() + binding.description[1:]
        key = app.get_key_display(binding)
        found = rows.get((binding.action, description))
        if found is not None:
            rows[(binding.action, description)] = KeyRow(
                f"{found.keys} / {key}", found.description, found.tooltip, found.enabled
            )
            continue
        rows[(binding.action, description)] = KeyRow(
            key, description, active.tooltip or binding.tooltip, active.enabled
        )
    nodes = sorted(grouped, key=lambda node: node is app)
    return tuple(KeySection(section_title(n, screen), tuple(grouped[n].values())) for n in nodes)


def key_for(screen: Screen[Any], binding_id: str) -> str | None:
    """The key that runs the binding ``binding_id`` on ``screen``, as the footer shows it."""
    for active in screen.active_bindings.values():
        if active.binding.id == binding_id:
            return screen.app.get_key_display(active.binding)
    return None


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened on and of the app, with what each does."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 110;
            max-width: 100%;
            height: auto;
            max-height: 90%;
            background: $panel;
            border: round $primary;
            border-title-color: $primary;
            border-title-style: bold;
            border-subtitle-color: $text-muted;
            padding: 0 2 1 2;
        }
        & .section {
            margin-top: 1;
            text-style: bold;
            color: $accent;
        }
        & Grid {
            grid-size: 3;
            grid-columns: 9 18 1fr;
            grid-gutter: 0 1;
            grid-rows: auto;
            height: auto;
        }
        & .key { text-align: right; width: 1fr; text-style: bold; }
        & .tooltip { color: $text-muted; }
        & .-disabled { text-style: dim; }
    }
    """

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", tooltip="Back to the screen"),
    ]

    def __init__(self, sections: tuple[KeySection, ...]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc closes"
            for section in self.sections:
                yield Static(section.title, classes="section")
                with Grid():
                    for row in section.rows:
                        dim = "" if row.enabled else " -disabled"
                        yield Label(row.keys, classes="key" + dim, markup=False)
                        yield Label(row.description, classes="description" + dim, markup=False)
                        yield Label(row.tooltip, classes="tooltip" + dim, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
