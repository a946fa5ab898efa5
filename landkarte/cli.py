"""The ``landkarte`` command: one Typer app, one small module per command group.

Exit codes, decided here and nowhere else (:func:`exit_code`, :func:`main`): 0 success, 1 a
domain error (input incl. an output path that cannot be written, planning, remote; its message
is shown), 2 a usage error, 130 Ctrl-C (143 on SIGTERM), 70 a bug (one line and the path of a
private log file holding the traceback).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

import typer

from common import interrupt
from common.errors import (
    ExternalToolMissing,
    InputError,
    LandkarteError,
    OutputPathError,
    PlanningError,
    RemoteError,
)
from landkarte import __version__
from landkarte.commands import actuals, configure, deploy, erhebung, inventory, netbox, plan, report
from landkarte.console import err_console

__all__ = ["app", "main"]

app = typer.Typer(
    name="landkarte",
    help="Inventory, consolidation planning, reports and shared infrastructure for municipal IT.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(inventory.app, name="inventory", help="Validate, convert, generate and summarise inventories.")
app.add_typer(erhebung.app, name="erhebung",
              help="Data collection campaign: questionnaires per organisation, merge returned ones, status.")
app.add_typer(plan.app, name="plan", help="Plan the consolidation: targets, data centres, waves, costs.")
app.add_typer(actuals.app, name="actuals",
              help="Progress (Ist-Stand): check the progress folder, read it from NetBox and configure's evidence.")
app.command("report", help="Render the board pack (HTML, PDF, XLSX) from a plan.")(report.report)
app.add_typer(netbox.app, name="netbox", help="Push, pull and diff the inventory against NetBox.")
app.add_typer(deploy.app, name="deploy", help="Provision the shared infrastructure with Pulumi.")
app.command("configure", help=(
    "Harden and configure the shared hosts with Ansible, canary first; evidence JSON + OSCAL assessment results. "
    "The backup repository password comes from LANDKARTE_BACKUP_PASSWORD_FILE or LANDKARTE_BACKUP_PASSWORD "
    "(--check runs without it)."))(configure.configure)


@app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit.", is_eager=True),
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit(0)


def _log_dir() -> Path:
    base = os.environ.get("LANDKARTE_LOG_DIR") or os.path.join(
        os.environ.get("XDG_STATE_HOME", os.path.expanduser("~/.local/state")), "landkarte"
    )
    return Path(base)


_NEW_PRIVATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _open_crash_log() -> tuple[int, Path]:
    """A new log file only the user can read: in the log folder, else a random name in the temp folder.

    Never follows a planted symlink and never opens an existing file (``O_EXCL``).
    """
    try:
        folder = _log_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
        return os.open(path, _NEW_PRIVATE, 0o600), path
    except OSError:
        fd, name = tempfile.mkstemp(prefix="landkarte-crash-", suffix=".log")  # 0600, O_EXCL, random name
        return fd, Path(name)


def _write_crash_log(exc: BaseException) -> Path | None:
    """Write the traceback to a private log file; ``None`` when no file can be written."""
    try:
        fd, path = _open_crash_log()
    except OSError:
        return None
    try:
        text = (f"landkarte {__version__}\nargv: {sys.argv[1:]!r}\n\n"
                + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    except MemoryError:
        text = f"{type(exc).__name__}: no traceback (out of memory while formatting it)\n"
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
            f.write(text)
    except (OSError, MemoryError):
        return path if path.exists() else None
    return path


EXIT_OK, EXIT_DOMAIN, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 70, 130  # SIGTERM: 143 (interrupt.exit_code)

#: Every kind of domain error and its exit code (all 1, as the house rules say; one place to change it).
EXIT_CODES: tuple[tuple[type[LandkarteError], int], ...] = (
    (OutputPathError, EXIT_DOMAIN),  # a file for a folder, foreign files, no permission: before any work
    (InputError, EXIT_DOMAIN),
    (PlanningError, EXIT_DOMAIN),
    (RemoteError, EXIT_DOMAIN),
    (ExternalToolMissing, EXIT_DOMAIN),
    (LandkarteError, EXIT_DOMAIN),
)


def exit_code(exc: LandkarteError) -> int:
    """The exit code of a domain error: the first kind in :data:`EXIT_CODES` it is."""
    return next(code for kind, code in EXIT_CODES if isinstance(exc, kind))


def _one_line(text: str, limit: int = 500) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _report_crash(exc: BaseException) -> None:
    """The one line for an unexpected error (plain text, never wrapped) and the log with the traceback.

    This must not fail itself: a log that cannot be written, even a MemoryError here, still
    ends in one line on stderr.
    """
    try:
        log = _write_crash_log(exc)
        where = f"details in {log}" if log else "no log file could be written"
        line = f"internal error: {type(exc).__name__}: {_one_line(str(exc))} ({where})\n"
    except BaseException:  # noqa: BLE001 - MemoryError and the like: the shortest possible report
        line = f"internal error: {type(exc).__name__} (no log file could be written)\n"
    try:
        sys.stderr.write(line)
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - an unusable sys.stderr: the file descriptor itself
        try:
            os.write(2, line.encode("utf-8", "backslashreplace"))
        except OSError:
            pass


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return (and exit with) its exit code.

    Exit codes: 0 success, 1 domain error, 2 usage error, 130 Ctrl-C (143 SIGTERM), 70 a bug.
    """
    logging.basicConfig(level=os.environ.get("LANDKARTE_LOG_LEVEL", "WARNING"))
    if argv is None:  # a real process (tests calling main(argv) keep their own handlers)
        interrupt.install()
    try:
        rv = app(args=argv, standalone_mode=False)
        code = rv if isinstance(rv, int) else EXIT_OK
        if code == EXIT_INTERRUPTED or interrupt.stop_requested():  # click returns typer's Exit(130) for
            code = _interrupted()  # Ctrl-C; an interruption swallowed somewhere (a destructor) still ends as one
    except LandkarteError as exc:
        err_console.print(f"error: {exc}", markup=False, soft_wrap=True)
        code = exit_code(exc)
    except typer.Exit as exc:  # typer turns Ctrl-C into Exit(130)
        code = _interrupted() if isinstance(exc.__cause__, KeyboardInterrupt) else exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        code = _interrupted()
    except typer.TyperException as exc:  # click's errors: a usage error (bad option, unknown command) is 2
        exc.show()
        code = exc.exit_code
    except BaseException as exc:  # the one place that turns a bug into one line + log
        if isinstance(exc, SystemExit):
            raise
        if interrupt.stop_requested():  # a solver or thread cut short by Ctrl-C fails in its own way
            code = _interrupted()
        else:
            _report_crash(exc)
            code = EXIT_BUG
    if argv is None:
        _exit(code)
    return code


def _interrupted() -> int:
    interrupt.remove_partials()
    try:
        sys.stdout.flush()
        sys.stderr.write("\ninterrupted\n")
    except (OSError, ValueError):
        pass
    return interrupt.exit_code()


def _exit(code: int) -> None:
    """End the process with ``code``, now.

    The work is done (or given up): a late signal must not turn it into a traceback, and
    threads still finishing a stopped solve must not hold the exit up. Every output file
    is closed by then (the writers use context managers), so only the streams need a flush.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    main()
