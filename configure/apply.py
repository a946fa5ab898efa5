"""One configure run: plan file → inventory → reachability probe → ansible-runner → evidence + OSCAL.

Safe against production:

- the hosts are probed first (TCP to SSH, in parallel, a few seconds for any number of hosts):
  an unreachable host is left out of the run and reported ``unreachable``, never ``failed``;
- the playbook rolls out in batches, a canary host first (``serial``), and stops when a batch has
  more failed hosts than ``max_fail_percentage`` (later hosts stay untouched);
- ``check`` changes nothing, rolls over every host at once and never stops early; it needs the
  backup password only if it is there (the tasks that need it are then reported ``not_checked``).
"""

from __future__ import annotations

import fnmatch
import os
import re
import socket
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml
from ansible.inventory.manager import PATTERN_WITH_SUBSCRIPT, split_host_pattern

from common.errors import InputError
from configure.bsi import task_index
from configure.evidence import build_evidence, write_evidence
from configure.inventory import InventoryOptions, build_inventory
from configure.oscal import load_controls, write_assessment_results
from configure.runner import PLAYBOOK_DIR, RunResult, run_playbook
from plan.io import PlanFormatError, read_plan

__all__ = ["ConfigureOutcome", "MissingSecret", "Rollout", "backup_password_from_env", "configure_plan",
           "limit_hosts", "probe_hosts"]

PASSWORD_ENV = "LANDKARTE_BACKUP_PASSWORD"
PASSWORD_FILE_ENV = "LANDKARTE_BACKUP_PASSWORD_FILE"


class MissingSecret(InputError):
    """A secret the run needs is not in the environment."""


@dataclass(frozen=True)
class Rollout:
    """How the changing plays roll out: a canary batch first, then batches."""

    canary: int = 1
    batch: str = "25%"
    """Hosts per later batch: a number or a percentage of the hosts."""
    max_fail_percentage: int = 0
    """A batch with more failed hosts than this (percent) stops the rollout."""

    def extravars(self, check: bool) -> dict:
        if check:  # a dry run looks at every host at once and never stops early
            return {"landkarte_serial": ["100%"], "landkarte_max_fail_percentage": 100}
        return {"landkarte_serial": [self.canary, self.batch], "landkarte_max_fail_percentage": self.max_fail_percentage}


@dataclass
class ConfigureOutcome:
    result: RunResult
    evidence: dict
    evidence_path: Path
    oscal_path: Path
    inventory: dict
    unreachable: list[str]


def backup_password_from_env(environ: Mapping[str, str] | None = None) -> str:
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


def limit_hosts(inventory: Mapping, limit: str | None) -> list[str]:
    """The hosts an Ansible ``--limit`` pattern selects (names, groups, globs, ``~regex``, ``[i]`` and
    ``[i:j]`` subscripts, ``&`` and ``!``), split as Ansible splits it.

    >>> inv = {"all": {"hosts": {"a": {}, "b": {}, "c": {}}, "children": {"g": {"hosts": {"a": {}, "b": {}}}}}}
    >>> limit_hosts(inv, "g:!b")
    ['a']
    >>> limit_hosts(inv, None)
    ['a', 'b', 'c']
    >>> limit_hosts(inv, "all[1:2]"), limit_hosts(inv, "g[-1]"), limit_hosts(inv, "~[bc]")
    (['b', 'c'], ['b'], ['b', 'c'])
    """
    order = list(inventory["all"]["hosts"])
    hosts = sorted(order)
    if not limit:
        return hosts
    groups = {g: set(v.get("hosts", {})) for g, v in inventory["all"].get("children", {}).items()}
    groups["all"] = set(hosts)

    def match(pattern: str) -> set[str]:
        subscript = None if pattern.startswith("~") else PATTERN_WITH_SUBSCRIPT.match(pattern)
        if subscript:
            pattern, index, start, _sep, end = subscript.groups()
        if pattern.startswith("~"):
            found = {h for h in hosts if re.search(pattern[1:], h)}
            names = (g for g in groups if re.search(pattern[1:], g))
        else:
            found = {h for h in hosts if fnmatch.fnmatchcase(h, pattern)}
            names = (g for g in groups if fnmatch.fnmatchcase(g, pattern))
        for g in names:
            found |= groups[g]
        if not subscript:
            return found
        ordered = [h for h in order if h in found]  # Ansible counts in inventory order
        if index is not None:
            return set(ordered[int(index):][:1]) if -len(ordered) <= int(index) < len(ordered) else set()
        return set(ordered[int(start):int(end) + 1 if end else None])

    union: set[str] = set()
    inter: list[set[str]] = []
    exclude: set[str] = set()
    for part in (p.strip() for p in split_host_pattern(limit)):
        if not part:
            continue
        if part.startswith("!"):
            exclude |= match(part[1:])
        elif part.startswith("&"):
            inter.append(match(part[1:]))
        else:
            union |= match(part)
    for s in inter:
        union &= s
    return sorted(union - exclude)


def probe_hosts(addresses: Mapping[str, str], *, port: int = 22, timeout: float = 3.0) -> list[str]:
    """The hosts whose SSH server does not greet (``SSH-…``) within ``timeout`` (all probed at once).

    A TCP connect alone is not enough: a proxy or a firewall may accept the connection for an
    address where no host answers.
    """

    def down(item: tuple[str, str]) -> str | None:
        host, address = item
        try:
            with socket.create_connection((address, port), timeout=timeout) as conn:
                conn.settimeout(timeout)
                return None if conn.recv(4).startswith(b"SSH-") else host
        except OSError:
            return host

    if not addresses:
        return []
    with ThreadPoolExecutor(max_workers=min(64, len(addresses))) as pool:
        return sorted(h for h in pool.map(down, sorted(addresses.items())) if h is not None)


def site_roles(inventory: Mapping, playbook_dir: Path = PLAYBOOK_DIR, playbook: str = "site.yml") -> dict[str, set[str]]:
    """The roles the playbook assigns each host (from each play's ``hosts`` pattern and ``roles``)."""
    plays = yaml.safe_load((playbook_dir / playbook).read_text(encoding="utf-8"))
    assigned: dict[str, set[str]] = {h: set() for h in inventory["all"]["hosts"]}
    for play in plays:
        roles = [r["role"] if isinstance(r, dict) else r for r in play.get("roles", ())]
        for host in limit_hosts(inventory, str(play.get("hosts", "all"))):
            assigned[host].update(roles)
    return assigned


def _needs_password(inventory: Mapping, hosts: Sequence[str]) -> bool:
    hv = inventory["all"]["hosts"]
    return any(hv[h].get("backup_enabled") and hv[h].get("backup_repository_host") for h in hosts)


def configure_plan(
    plan_path: Path,
    *,
    evidence_path: Path,
    options: InventoryOptions | None = None,
    limit: str | None = None,
    check: bool = False,
    diff: bool = False,
    rollout: Rollout | None = None,
    on_event: Callable[[dict], None] | None = None,
    extravars: dict | None = None,
    playbook_dir: Path = PLAYBOOK_DIR,
    probe_timeout: float = 3.0,
) -> ConfigureOutcome:
    """Converge the plan's hosts; write the evidence file and the OSCAL assessment results beside it.

    Raises
    ------
    plan.io.PlanFormatError
        The plan cannot be read, or the options do not fit it (no management network, unknown log host).
    MissingSecret
        The backup password is not in the environment (and not in ``extravars``) for a run that changes hosts.
    configure.runner.PlaybookError
        ansible-playbook could not run at all.
    """
    plan = read_plan(plan_path)
    try:
        inventory = build_inventory(plan, options)
    except ValueError as exc:
        raise PlanFormatError(plan_path, [str(exc)]) from None
    scope = limit_hosts(inventory, limit)
    extravars = dict(extravars or {})
    if "backup_password" not in extravars and _needs_password(inventory, scope):
        try:
            extravars["backup_password"] = backup_password_from_env()
        except MissingSecret:
            if not check:
                raise
    run_id = uuid.uuid4().hex
    extravars.setdefault("landkarte_run_id", run_id)
    extravars.update((rollout or Rollout()).extravars(check))
    started = datetime.now(UTC)
    hostvars = inventory["all"]["hosts"]
    unreachable = probe_hosts({h: hostvars[h]["ansible_host"] for h in scope}, timeout=probe_timeout)
    reachable = [h for h in scope if h not in unreachable]
    if reachable:
        # one pattern a comma: Ansible splits a pattern with commas only there, so ":!host" would not exclude
        run_limit = (",".join([*split_host_pattern(limit or "all"), *(f"!{h}" for h in unreachable)])
                     if (limit or unreachable) else None)
        result = run_playbook(inventory, limit=run_limit, check=check, diff=diff, extravars=extravars,
                              on_event=on_event, playbook_dir=playbook_dir)
    else:
        result = RunResult("skipped", 0, {}, [], 0.0)
    failed_hosts = sorted(set(result.failed_hosts()) | set(unreachable))
    evidence = build_evidence(
        result.events,
        index=task_index(playbook_dir),
        controls=load_controls(playbook_dir),
        inventory=inventory,
        unreachable=unreachable,
        applicable=site_roles(inventory, playbook_dir),
        run={
            "id": run_id,
            "started": started.isoformat(timespec="seconds"),
            "seconds": round(result.seconds, 1),
            "status": result.status,
            "rc": result.rc,
            "check_mode": check,
            "limit": limit,
            "changed": result.changed(),
            "failed_hosts": failed_hosts,
            "unreachable_hosts": unreachable,
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
    oscal_path = write_assessment_results(evidence, evidence_path)
    return ConfigureOutcome(result, evidence, evidence_path, oscal_path, inventory, unreachable)
