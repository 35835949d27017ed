"""The footer shows the keys of what has focus, and is not rebuilt when they stay the same."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input
from textual.widgets._footer import FooterKey

from screens.footer import Footer


class Search(Input):
    BINDINGS = [Binding("f3", "next", "Next match")]


class Form(App[None]):
    BINDINGS = [Binding("f2", "noop", "Save")]

    def compose(self) -> ComposeResult:
        yield Button("One", id="one")
        yield Button("Two", id="two")
        yield Search(id="search")
        yield Footer()


def keys(app: Form) -> list[FooterKey]:
    return list(app.screen.query_one(Footer).query(FooterKey))


async def test_moving_between_fields_with_the_same_keys_keeps_the_footer() -> None:
    app = Form()
    async with app.run_test(size=(80, 5)) as pilot:
        app.screen.query_one("#one").focus()
        await pilot.pause()
        before = keys(app)
        assert "Save" in [key.description for key in before]
        app.screen.query_one("#two").focus()
        await pilot.pause()
        after = keys(app)
        assert all(a is b for a, b in zip(before, after, strict=True)), "rebuilt for nothing"

        app.screen.query_one("#search").focus()
        await pilot.pause()
        assert {key.description for key in keys(app)} >= {"Save", "Next match"}
        app.screen.query_one("#one").focus()
        await pilot.pause()
        assert "Next match" not in {key.description for key in keys(app)}
