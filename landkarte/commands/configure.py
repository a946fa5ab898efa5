"""landkarte configure — harden and configure the plan's hosts with Ansible, write BSI evidence."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from common.errors import RemoteError
from landkarte.commands._common import JsonOpt
from landkarte.console import console, err_console, print_json

__all__ = ["configure"]

_MARK = {"ok": "ok", "changed": "changed", "skipped": "skipped", "failed": "FAILED", "unreachable": "UNREACHABLE"}


def _failure(res: dict) -> str:
    return " ".join(str(res.get(k) or "") for k in ("msg", "stderr")).strip()[:500]


def configure(
    plan: Annotated[Path, typer.Option("--plan", help="Plan JSON written by `landkarte plan`.")],
    limit: Annotated[str | None, typer.Option(
        "--limit", help="Ansible host pattern (VM ids or groups like dc_x).")] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Dry run: report what would change, change nothing.")] = False,
    evidence: Annotated[Path, typer.Option("--evidence", help="Where to write the evidence JSON.")] = Path(
        "out/evidence.json"),
    user: Annotated[str, typer.Option("--user", help="SSH user on the hosts (sudo without password).")] = "ansible",
    private_key: Annotated[Path | None, typer.Option("--private-key", help="SSH private key file.")] = None,
    known_hosts: Annotated[Path | None, typer.Option(
        "--known-hosts", help="known_hosts file with the hosts' keys (host-key checking is always on).")] = None,
    management: Annotated[list[str] | None, typer.Option(
        "--management-cidr",
        help="Network allowed to reach SSH (repeatable; default: the data centre's supernet).")] = None,
    ntp: Annotated[list[str] | None, typer.Option(
        "--ntp-server", help="Time server (repeatable; default: PTB).")] = None,
    log_host: Annotated[str | None, typer.Option(
        "--log-host", help="VM id of the central log host (default: a VM with a logging role per data centre).")] = None,
    site_vars: Annotated[Path | None, typer.Option(
        "--vars", help="YAML file of role variables for every host (keys from the roles' argument specs).")] = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Show every task result, not only changes.")] = False,
    json_out: JsonOpt = False,
) -> int:
    """Run the playbooks for every VM of PLAN through ansible-runner; exit 1 when a host failed."""
    from configure.apply import configure_plan
    from configure.evidence import event_result
    from configure.inventory import InventoryOptions
    from configure.runner import PLAYBOOK_DIR
    from configure.sitevars import load_site_vars

    extra = load_site_vars(site_vars, PLAYBOOK_DIR) if site_vars else {}
    options = InventoryOptions(
        user=user,
        private_key=str(private_key) if private_key else None,
        known_hosts=str(known_hosts) if known_hosts else None,
        management_sources=tuple(management or ()),
        site_vars=extra,
        log_host=log_host,
        **({"ntp_servers": tuple(ntp)} if ntp else {}),
    )

    def show(event: dict) -> None:
        if json_out or event.get("event") not in (
            "runner_on_ok", "runner_on_failed", "runner_on_skipped", "runner_on_unreachable"
        ):
            return
        data = event.get("event_data", {})
        result = event_result(event)
        if not verbose and result in ("ok", "skipped"):
            return
        role = f"{data.get('role')}: " if data.get("role") else ""
        line = f"{data.get('host', '?'):<24} {_MARK[result]:<11} {role}{data.get('task', '')}"
        if result in ("failed", "unreachable"):
            line += f"\n{'':<24} {_failure(data.get('res', {}))}"
        err_console.print(line, markup=False, soft_wrap=True)

    spinner = err_console.status("configuring hosts", spinner="dots")
    with spinner if err_console.is_terminal and not json_out else nullcontext():
        outcome = configure_plan(plan, evidence_path=evidence, options=options, limit=limit, check=check,
                                 on_event=show)

    run = outcome.evidence["run"]
    summary = {"status": run["status"], "rc": run["rc"], "seconds": run["seconds"], "changed": run["changed"],
               "failed_hosts": run["failed_hosts"], "evidence": str(outcome.evidence_path)}
    if json_out:
        print_json(summary)
    else:
        for host, changed in run["changed"].items():
            state = "FAILED" if host in run["failed_hosts"] else "ok"
            console.print(f"{host:<24} {state:<7} changed={changed}", markup=False)
        console.print(f"evidence: {outcome.evidence_path} ({len(outcome.evidence['modules'])} BSI modules)",
                      markup=False)
    if run["failed_hosts"] or run["rc"] != 0:
        raise RemoteError(f"configure failed on: {', '.join(run['failed_hosts']) or 'the run'} "
                          f"(rc {run['rc']}; details in {outcome.evidence_path})")
    return 0
