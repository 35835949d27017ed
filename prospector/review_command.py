"""``prospector review``: the weekly self-review from the command line.

Text for the rep, Markdown for a document (the same one the review export writes), and
JSON for scripts (a stable contract, documented in the README). The review module is
imported only when the command runs, so other commands start no slower for it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from prospector.errors import InvalidInput
from prospector.terminal_text import json_text

FORMATS = ("text", "md", "json")


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``review`` to the subcommands ``sub``. ``parser_class`` is the class the CLI
    builds its parsers with, for subcommands of a subcommand; ``review`` has none."""
    review = sub.add_parser(
        "review",
        help="the weekly review: the week against targets, habit, step or stop, reflection",
    )
    review.add_argument(
        "--week", help="ISO week to review, e.g. 2026-W47 (default: the last complete week)"
    )
    review.add_argument(
        "--format",
        dest="format",
        default="text",
        help="text (default), md (a Markdown document) or json",
    )


def review(store: Any, args: argparse.Namespace) -> int:
    """Print the review of ``--week`` in ``--format``."""
    fmt = (args.format or "text").strip().lower()
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise InvalidInput(f"--format must be text, md or json, got {args.format!r}")
    from prospector.review import (
        build_review,
        parse_week,
        review_json,
        review_markdown,
        review_text,
    )

    week = parse_week(args.week) if args.week is not None else None
    result = build_review(store, week)
    if fmt == "json":
        sys.stdout.write(json_text(review_json(result)) + "\n")
    elif fmt == "md":
        sys.stdout.write(review_markdown(result))
    else:
        sys.stdout.write(review_text(result))
    return 0
