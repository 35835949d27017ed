"""The Wins screen: every recorded deal, and a way to delete a wrong one.

A win calibrates the forecast, so one recorded with the wrong amount or date (a typo,
or a date from an older version that took any year) skews every figure after it. The
screen is opened from the Forecast screen with ``w`` (or the command palette), lists
every win with its id, newest first, marks those whose date lies outside the supported
range (left out of the figures), and deletes the highlighted one with ``d`` after a
confirmation. Reading and deleting run in thread workers, like every other screen.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState

from prospector.clock import DATE_RANGE
from prospector.store import Store
from prospector.store.wins import WinRecord
from screens.footer import Footer
from screens.forms import ConfirmScreen, say_failed

LOAD_WORKER = "wins.load"
DELETE_WORKER = "wins.delete"


DELETE_HINT = "A wrong win? Highlight it and press d to delete it."


class WinsScreen(Screen[bool]):
    """Every win, newest first; dismissed with True when one was deleted."""

    DEFAULT_CSS = """
    WinsScreen {
        & #wins { height: 1fr; }
        & #wins-empty { padding: 1 2; color: $text-muted; }
        & #wins-note { padding: 0 1; color: $text-muted; height: auto; }
    }
    """
    BINDINGS = [
        Binding(
            "d,delete",
            "delete",
            "Delete win",
            tooltip="Delete the highlighted win (asks first); the forecast recalibrates",
            id="wins.delete",
        ),
        Binding(
            "escape",
            "close",
            "Back",
            tooltip="Back to the forecast",
            id="wins.close",
        ),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.records: list[WinRecord] = []
        self.deleted = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(DELETE_HINT, id="wins-note")
        yield DataTable(id="wins", cursor_type="row", zebra_stripes=True)
        yield Static("No wins recorded yet.", id="wins-empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Wins"
        self.sub_title = "every deal recorded"
        table = self.query_one("#wins", DataTable)
        table.add_columns("Id", "Day", "Amount", "Prospect", "")
        self.query_one("#wins-empty").display = False
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name=LOAD_WORKER, group=LOAD_WORKER)
    def load(self) -> list[WinRecord]:
        return self.store.win_records()[::-1]

    @work(thread=True, exit_on_error=False, name=DELETE_WORKER, group=DELETE_WORKER)
    def drop(self, win_id: int) -> WinRecord:
        return self.store.delete_win(win_id)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.name == LOAD_WORKER and event.state == WorkerState.SUCCESS:
            self.show(worker.result if isinstance(worker.result, list) else [])
        elif worker.name == DELETE_WORKER and event.state == WorkerState.SUCCESS:
            gone = worker.result
            assert isinstance(gone, WinRecord)
            self.deleted = True
            self.notify(f"Deleted win {gone.id}: {gone.describe()}.", title="Wins")
            self.load()
        elif event.state == WorkerState.ERROR:
            what = "read the wins" if worker.name == LOAD_WORKER else "delete the win"
            say_failed(self, what, worker.error, "Wins")

    def show(self, records: list[WinRecord]) -> None:
        table = self.query_one("#wins", DataTable)
        row = table.cursor_row
        self.records = records
        table.clear()
        for w in records:
            mark = "" if w.in_range else "not counted"
            table.add_row(str(w.id), w.shown_day, w.shown_amount, w.prospect, mark, key=str(w.id))
        table.display = bool(records)
        self.query_one("#wins-empty").display = not records
        odd = any(not w.in_range for w in records)
        self.query_one("#wins-note", Static).update(
            f"{DELETE_HINT} Wins marked not counted have a date outside {DATE_RANGE}."
            if odd
            else DELETE_HINT
        )
        if records:
            table.move_cursor(row=min(row, len(records) - 1))
            table.focus()

    def action_delete(self) -> None:
        table = self.query_one("#wins", DataTable)
        if not self.records or not 0 <= table.cursor_row < len(self.records):
            self.notify("No win to delete.", title="Wins", severity="warning")
            return
        win = self.records[table.cursor_row]

        def answered(yes: bool | None) -> None:
            if yes:
                self.drop(win.id)

        self.app.push_screen(
            ConfirmScreen(
                "Delete win",
                f"Delete win {win.id}: {win.describe()}? The forecast's calibration "
                "changes with it.",
                yes="Delete",
            ),
            answered,
        )

    def action_close(self) -> None:
        self.dismiss(self.deleted)
