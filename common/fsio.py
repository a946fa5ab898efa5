"""Atomic file output: nothing half-written is ever left behind.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write_text(d / "a.txt", "hallo")
>>> (d / "a.txt").read_text()
'hallo'
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from common import interrupt
from common.errors import OutputPathError

__all__ = ["atomic_dir", "atomic_path", "atomic_write_bytes", "atomic_write_text", "check_output"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_output(path: str | Path, *, folder: bool) -> None:
    """Fail early (before hours of work) when ``path`` cannot become the output file or folder.

    >>> import tempfile
    >>> check_output(tempfile.gettempdir(), folder=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    common.errors.OutputPathError: ...: is a folder; give a file name
    """
    p = Path(path)
    if folder and p.exists() and not p.is_dir():
        raise OutputPathError(p, "is a file, not a folder")
    if not folder and p.is_dir():
        raise OutputPathError(p, "is a folder; give a file name")
    existing = p if folder and p.is_dir() else p.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise OutputPathError(p, f"{existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputPathError(p, f"no permission to write in {existing}")


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success rename it over ``path``, else delete it."""
    path = Path(path)
    check_output(path, folder=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    with interrupt.partial(tmp):
        try:
            yield Path(tmp)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the file normal permissions
            with interrupt.critical():
                os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _everything(rel: str) -> bool:
    return True


def _is_partial(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return name.startswith(".") and (name.endswith(".part") or ".part" in name or ".old-" in name)


def _files(root: Path, *, hidden: bool = True) -> Iterator[str]:
    """Relative POSIX paths of the files below ``root`` (symlinked folders as ``name/``, not entered).

    ``hidden=False`` does not enter hidden folders (``.git/``): no writer owns a file there.
    """
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        yield from (prefix + f for f in filenames)
        yield from (prefix + d + "/" for d in dirnames if (Path(dirpath) / d).is_symlink())
        if not hidden:
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]


@contextmanager
def atomic_dir(
    path: str | Path,
    *,
    owns: Callable[[str], bool] = _everything,
    own_output: Callable[[Path], bool] | None = None,
    force: bool = False,
) -> Iterator[Path]:
    """Build a folder in a temporary place and commit it to ``path`` only when the block succeeds.

    A writer replaces only what it owns. ``owns(rel)`` says which files (relative POSIX paths)
    are this writer's; ``own_output(path)`` recognises its earlier output. An existing folder
    that is neither empty nor the writer's own output, and holds anything it does not own, is
    refused with :class:`OutputPathError` unless ``force``. Then (and for its own output) only
    its own files are replaced and its own stale files removed; anything else (``.git/``,
    ``docs/``, notes) is left exactly as it was.

    A new folder appears with one rename. Into an existing folder the files are renamed one
    by one inside :func:`common.interrupt.critical`, so Ctrl-C never leaves half of them.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "notes.txt").write_text("mine")
    4
    >>> with atomic_dir(d, owns=lambda rel: rel.endswith(".csv"), own_output=lambda p: False) as tmp:
    ...     _ = (tmp / "a.csv").write_text("x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    common.errors.OutputPathError: ...: holds files that are not Landkarte's (notes.txt); ...
    >>> with atomic_dir(d, owns=lambda rel: rel.endswith(".csv"), force=True) as tmp:
    ...     _ = (tmp / "a.csv").write_text("x")
    >>> sorted(p.name for p in d.iterdir())
    ['a.csv', 'notes.txt']
    """
    path = Path(path)
    check_output(path, folder=True)
    existing = path.is_dir()
    if existing and not force and any(path.iterdir()) and not (own_output is not None and own_output(path)):
        foreign = list(itertools.islice((rel for rel in _files(path) if not owns(rel) and not _is_partial(rel)), 6))
        if foreign:
            more = " and more" if len(foreign) > 5 else ""
            raise OutputPathError(path, f"holds files that are not Landkarte's ({', '.join(foreign[:5])}{more}); "
                                        "choose an empty or new folder, or --force to replace only Landkarte's "
                                        "own files there")
    if not existing:
        path.parent.mkdir(parents=True, exist_ok=True)
    base = path if existing else path.parent
    _remove_stale_staging(base)
    tmp = Path(tempfile.mkdtemp(prefix=f".landkarte-{path.resolve().name or 'out'}.", suffix=".part", dir=base))
    with interrupt.partial(tmp):
        try:
            yield tmp
            os.chmod(tmp, 0o777 & ~_umask())
            with interrupt.critical():
                if existing:  # also `.` and `..`: the folder itself stays, its own files are replaced
                    _merge_owned(tmp, path, owns)
                else:
                    os.replace(tmp, path)  # a new folder appears whole with one rename
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


STALE_AFTER_S = 6 * 3600
"""A staging folder this old is a killed run's (SIGKILL cannot be cleaned up at the time): removed."""


def _remove_stale_staging(base: Path) -> None:
    now = time.time()
    for p in base.glob(".landkarte-*.part"):
        try:
            if p.is_dir() and not p.is_symlink() and now - p.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def _merge_owned(tmp: Path, path: Path, owns: Callable[[str], bool]) -> None:
    """Rename the new files into ``path`` and remove the writer's own files the new set lacks."""
    new = set(_files(tmp))
    for rel in sorted(new):
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp / rel, target)
    for rel in list(_files(path, hidden=False)):
        if rel not in new and owns(rel):
            (path / rel).unlink(missing_ok=True)
