"""Errors a rep can act on.

Every failure the user can cause or fix (a typo in a kind, a bad date, a damaged
database file) is raised as a ``ProspectorError`` whose message says what is wrong and
how to fix it. The CLI prints that message on one line and exits with status 2; the TUI
shows it as a notification. Anything else is a bug.
"""


class ProspectorError(Exception):
    """A problem with the user's input, data or files, explained in plain words."""


class InvalidInput(ProspectorError):
    """A value given on the command line or in a form is not acceptable.

    ``field`` names the input it is about (``name``, ``source``, ``est_value``, a
    setting key, ...) when there is one, so a form can show the message under it.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NaiveDatetimeError(InvalidInput):
    """A datetime without a time zone reached the store; its instant would be a guess."""


class DataFileError(ProspectorError):
    """A shipped data file is missing or malformed."""


class DatabaseError(ProspectorError):
    """The database file cannot be opened, read, upgraded or written."""


class NotFound(ProspectorError):
    """A named record (prospect, target, ...) does not exist."""
