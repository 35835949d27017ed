"""Prospect names: how they are cleaned when saved and how two names are matched.

A rep types "ÖZIL GMBH" in the terminal and "Özil GmbH" in the app; a macOS file
import spells "Café" with a separate combining accent (NFD) where a keyboard gives one
precomposed letter (NFC). All of these are the same prospect. SQLite's ``lower()``
folds only A-Z, so matching in SQL would miss most of them and matching in Python
would find others: the two disagreed, and duplicates followed.

So the match is decided in Python alone, by one key: the name with its whitespace
collapsed, in Unicode NFC, then casefolded (and put back in NFC, since casefolding can
leave a string that is not). The key is stored next to the name in ``prospect.name_key``
under a UNIQUE index, and SQL compares keys, never names. Every lookup (the CLI, the
app's pickers, the import) goes through ``name_key``.

Only the standard library is imported, so the app and the import can use it freely.
"""

from __future__ import annotations

import re
import shlex
import unicodedata

_SPACE = re.compile(r"\s+")


def clean_name(name: str) -> str:
    """A name as it is saved: NFC, each run of whitespace (tabs and newlines included)
    one space, and none at either end. What the rep sees is what the key is made of."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", name)).strip()


def name_key(name: str) -> str:
    """The key two names match by: equal keys are one prospect.

    Unicode NFC, then casefold (which, unlike ``lower()``, also folds "ß" to "ss" and
    the Greek final sigma), of the name as ``clean_name`` leaves it; NFC once more at
    the end, as casefolding may decompose a letter.
    """
    return unicodedata.normalize("NFC", clean_name(name).casefold())


def shell_quoted(name: str) -> str:
    """The name as a shell reads it back whole: quotes, ``$``, backticks, spaces and
    newlines included (``prospector prospect show <this>`` finds the prospect)."""
    return shlex.quote(name)
