"""The key footer, rebuilt only when the keys it shows change.

Textual's footer throws its keys away and mounts new ones on every change of the
screen's bindings, which happens on every focus change: on a form with many fields,
moving between fields spent most of its time rebuilding an identical footer. Switching
screens rebuilt two footers: the one going away (for keys nobody would see) and the
one coming back (to undo that).
"""

from __future__ import annotations

from typing import Any

from textual.app import ScreenStackError
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter

__all__ = ["Footer"]


class Footer(TextualFooter):
    """A footer that skips the rebuild when the keys, their labels and their
    enabled state are what it already shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not self._showing(screen):
            # A screen being switched away from hears that the keys changed (the mode
            # key it hides is now another's): it is rebuilt, if need be, when it is
            # shown again, and usually need not be.
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = tuple(
                (
                    binding.key,
                    binding.action,
                    binding.description,
                    binding.tooltip,
                    binding.group,
                    enabled,
                    tooltip,
                    self.app.get_key_display(binding),
                )
                for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
                if binding.show or key == self.app.COMMAND_PALETTE_BINDING
            )
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)

    def _showing(self, screen: Screen[Any]) -> bool:
        try:
            return screen is screen.app.screen
        except ScreenStackError:  # the app is closing
            return False
