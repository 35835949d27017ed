"""The command palette offers what the keys do: one entry per described binding.

A command is defined once, as a ``Binding`` with an id, a description and a tooltip on
the app or a screen; this provider lists the bindings in force on the screen the
palette was opened from, so a command's key, its footer label, its help line and its
palette entry cannot drift apart, and a binding a screen disables is not offered.
Textual's built-in system commands are not used: their Quit and Keys would duplicate
ours, and the theme picker is a binding of the app like any other command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

__all__ = ["BindingCommands", "Command"]


@dataclass(frozen=True)
class Command:
    title: str
    help: str
    run: Callable[[], Any]


class BindingCommands(Provider):
    """Every enabled binding with an id and a description, the screen's before the app's."""

    def commands(self) -> list[Command]:
        found: list[Command] = []
        titles: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.id is None or not binding.description or not active.enabled:
                continue
            if binding.action == "command_palette":
                continue  # the palette is open already
            if binding.description in titles:
                continue  # a binding listed under several keys
            titles.add(binding.description)
            found.append(
                Command(
                    binding.description,
                    active.tooltip or binding.tooltip or binding.description,
                    partial(self.app.run_action, binding.action, active.node),
                )
            )
        return found

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
