"""The ``landkarte`` command: one Typer app, one small module per command group.

Exit codes, decided here and nowhere else (:func:`exit_code`): 0 success, 1 a domain error
(input, planning, remote; its message is shown), 2 a usage error, 130 Ctrl-C, 70 a bug (one
line and the path of a log file holding the traceback).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

import typer

from common.errors import (
    ExternalToolMissing,
    InputError,
    LandkarteError,
    PlanningError,
    RemoteError,
)
from landkarte import __version__
from landkarte.commands import configure, deploy, inventory, netbox, plan, report
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
app.add_typer(plan.app, name="plan", help="Plan the consolidation: targets, data centres, waves, costs.")
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
    try:
        Path(base).mkdir(parents=True, exist_ok=True)
        return Path(base)
    except OSError:
        return Path(tempfile.gettempdir())


def _write_crash_log(exc: BaseException) -> Path:
    path = _log_dir() / f"crash-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    path.write_text(
        f"landkarte {__version__}\nargv: {sys.argv[1:]!r}\n\n"
        + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
        encoding="utf-8",
    )
    return path


EXIT_OK, EXIT_DOMAIN, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 70, 130

#: Every kind of domain error and its exit code (all 1, as the house rules say; one place to change it).
EXIT_CODES: tuple[tuple[type[LandkarteError], int], ...] = (
    (InputError, EXIT_DOMAIN),
    (PlanningError, EXIT_DOMAIN),
    (RemoteError, EXIT_DOMAIN),
    (ExternalToolMissing, EXIT_DOMAIN),
    (LandkarteError, EXIT_DOMAIN),
)


def exit_code(exc: LandkarteError) -> int:
    """The exit code of a domain error: the first kind in :data:`EXIT_CODES` it is."""
    return next(code for kind, code in EXIT_CODES if isinstance(exc, kind))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return (and exit with) its exit code."""
    logging.basicConfig(level=os.environ.get("LANDKARTE_LOG_LEVEL", "WARNING"))
    try:
        rv = app(args=argv, standalone_mode=False)
        code = rv if isinstance(rv, int) else EXIT_OK
    except LandkarteError as exc:
        err_console.print(f"error: {exc}", markup=False, soft_wrap=True)
        code = exit_code(exc)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        code = EXIT_INTERRUPTED
    except typer.TyperException as exc:  # click's errors: a usage error (bad option, unknown command) is 2
        exc.show()
        code = exc.exit_code
    except KeyboardInterrupt:
        err_console.print("interrupted")
        code = EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 — the one place that turns a bug into one line + log
        log = _write_crash_log(exc)
        err_console.print(f"internal error: {type(exc).__name__}: {exc} (details in {log})", markup=False)
        code = EXIT_BUG
    if argv is None:
        sys.exit(code)
    return code


if __name__ == "__main__":
    main()
