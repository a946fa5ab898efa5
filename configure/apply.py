"""One configure run: plan file → inventory → ansible-runner → evidence file."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from common.errors import InputError
from configure.bsi import claimed_modules, load_bsi_modules, task_index
from configure.evidence import build_evidence, write_evidence
from configure.inventory import InventoryOptions, build_inventory
from configure.runner import PLAYBOOK_DIR, RunResult, run_playbook
from plan.io import PlanFormatError, read_plan

__all__ = ["ConfigureOutcome", "MissingSecret", "backup_password_from_env", "configure_plan"]

PASSWORD_ENV = "LANDKARTE_BACKUP_PASSWORD"
PASSWORD_FILE_ENV = "LANDKARTE_BACKUP_PASSWORD_FILE"


class MissingSecret(InputError):
    """A secret the run needs is not in the environment."""


@dataclass
class ConfigureOutcome:
    result: RunResult
    evidence: dict
    evidence_path: Path
    inventory: dict


def backup_password_from_env(environ: os._Environ | dict | None = None) -> str:
    """The backup repository password from ``LANDKARTE_BACKUP_PASSWORD_FILE`` or ``LANDKARTE_BACKUP_PASSWORD``."""
    environ = os.environ if environ is None else environ
    if environ.get(PASSWORD_FILE_ENV):
        path = Path(environ[PASSWORD_FILE_ENV])
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise MissingSecret(f"{path}: cannot read the backup password ({PASSWORD_FILE_ENV}): {exc.strerror}") from None
    if environ.get(PASSWORD_ENV):
        return environ[PASSWORD_ENV]
    raise MissingSecret(f"set {PASSWORD_FILE_ENV} (a file) or {PASSWORD_ENV}: the backup repositories are encrypted")


def configure_plan(
    plan_path: Path,
    *,
    evidence_path: Path,
    options: InventoryOptions | None = None,
    limit: str | None = None,
    check: bool = False,
    on_event: Callable[[dict], None] | None = None,
    extravars: dict | None = None,
) -> ConfigureOutcome:
    """Converge the plan's hosts and write the evidence file.

    Raises
    ------
    plan.io.PlanFormatError
        The plan cannot be read.
    MissingSecret
        The backup password is not in the environment (and not in ``extravars``).
    configure.runner.PlaybookError
        ansible-playbook could not run at all.
    """
    plan = read_plan(plan_path)
    try:
        inventory = build_inventory(plan, options)
    except ValueError as exc:
        raise PlanFormatError(plan_path, [str(exc)]) from None
    extravars = dict(extravars or {})
    if "backup_password" not in extravars and any(h["backup_enabled"] for h in inventory["all"]["hosts"].values()):
        extravars["backup_password"] = backup_password_from_env()
    started = datetime.now(UTC)
    result = run_playbook(inventory, limit=limit, check=check, extravars=extravars, on_event=on_event)
    index = task_index(PLAYBOOK_DIR)
    evidence = build_evidence(
        result.events,
        index=index,
        claimed=claimed_modules(index),
        modules=load_bsi_modules(),
        inventory=inventory,
        run={
            "started": started.isoformat(timespec="seconds"),
            "seconds": round(result.seconds, 1),
            "status": result.status,
            "rc": result.rc,
            "check_mode": check,
            "limit": limit,
            "changed": result.changed(),
            "failed_hosts": result.failed_hosts(),
        },
        plan={
            "path": str(plan_path),
            "scenario_id": plan.meta.scenario_id,
            "scenario_hash": plan.meta.scenario_hash,
            "inventory_hash": plan.meta.inventory_hash,
            "synthetic": plan.meta.synthetic,
        },
    )
    write_evidence(evidence, evidence_path)
    return ConfigureOutcome(result, evidence, evidence_path, inventory)
