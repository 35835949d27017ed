"""The base of the screens the number keys switch between.

A main screen stays built while another is shown. When it is shown again, Textual
restyles every widget on it, in case the app's styles changed meanwhile; on Settings
(some 250 widgets) that took most of a switch, for styles that had not changed. A main
screen skips that when the app looks as it did when the screen was left: the same
theme, the same stylesheet and the same app-wide states (focus, dark, inline, colours).
Anything else that changes a widget's style restyles that widget when it happens.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen


class MainScreen(Screen[None]):
    """A screen of its own mode (1-6), kept built between visits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._styled_for: tuple[object, ...] | None = None

    def _app_styles(self) -> tuple[object, ...]:
        app = self.app
        # The stylesheet's change count is Textual's own; without it, always restyle.
        updates = getattr(app, "_css_update_count", object())
        return (app.theme, updates, app.pseudo_classes)

    def _on_screen_suspend(self) -> None:
        self._styled_for = self._app_styles()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Textual's own handler (the subclass comes first), which then
        # restyles the screen only if it still has to.
        if self._styled_for is not None and self._styled_for == self._app_styles():
            event.refresh_styles = False
