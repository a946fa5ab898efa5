"""Console output shared by all commands: rich on a terminal, plain JSON with ``--json``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["console", "err_console", "print_json", "progress", "say", "track"]

def _console(stderr: bool = False) -> Console:
    """Data is printed as data: no console markup (``[/x]``, ``[link=…]``), no emoji codes, no
    highlighting. Styles are given with ``style=`` or :class:`rich.text.Text`. When the output
    is not a terminal nothing is wrapped or cut (a long path stays one line, a table cell whole).
    """
    c = Console(stderr=stderr, markup=False, emoji=False, highlight=False)
    if not c.is_terminal:
        c.soft_wrap = True
        c.width = 100_000
    return c


console = _console()
err_console = _console(stderr=True)


def say(text: str, style: str | None = None) -> None:
    """One line of data for people on stdout: printed as it is (ids and user text may hold ``[..]``),
    never wrapped (a path or a name stays whole)."""
    console.print(text, markup=False, highlight=False, style=style, soft_wrap=True)


def print_json(data: Any) -> None:
    """Machine output for ``--json``: sorted keys, UTF-8, one document on stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, default=str) + "\n")


@contextmanager
def progress(transient: bool = True) -> Iterator[Progress | None]:
    """A progress display on a terminal (stderr); ``None`` when output is not a terminal."""
    if not err_console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, transient=transient,
    ) as bar:
        yield bar


def track(items: Iterable[Any], description: str, total: int | None = None) -> Iterator[Any]:
    """Iterate with a progress bar when stderr is a terminal, silently otherwise."""
    with progress() as bar:
        if bar is None:
            yield from items
            return
        task = bar.add_task(description, total=total)
        for item in items:
            yield item
            bar.advance(task)
