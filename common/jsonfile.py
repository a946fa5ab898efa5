"""The one JSON file reader: a file that cannot be read or parsed is one sentence naming the place.

Every JSON input (a plan, a sweep result, an approved deployment plan, stack outputs) is read here,
so every one says the same things the same way; the caller wraps :class:`JsonFileError` in its own
error, which says what the file is ("plan", "approved plan", …).

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.json"
>>> _ = p.write_text('{"a": 1,}')
>>> try:
...     read_json(p)
... except JsonFileError as exc:
...     print(exc.problem)
line 1 column 9: not JSON (Expecting property name enclosed in double quotes)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["JsonFileError", "read_json"]


class JsonFileError(InputError):
    """A JSON file that cannot be read (``unreadable``: missing, no permission) or parsed."""

    def __init__(self, path: Path, problem: str, *, unreadable: bool = False):
        self.path = path
        self.problem = problem
        """What is wrong, with the line and column where there is one."""
        self.unreadable = unreadable
        super().__init__(f"{path}: {problem}")


def read_json(path: str | Path) -> Any:
    """The parsed content of the JSON file ``path``.

    Raises
    ------
    JsonFileError
        Unreadable, not UTF-8, not JSON (with line and column), or nested too deeply to parse.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise JsonFileError(path, exc.strerror or str(exc), unreadable=True) from None
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise JsonFileError(path, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise JsonFileError(path, f"line {exc.lineno} column {exc.colno}: not JSON ({exc.msg})") from None
    except RecursionError:
        raise JsonFileError(path, "nested too deeply to read") from None
