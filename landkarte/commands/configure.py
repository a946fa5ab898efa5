"""landkarte configure — harden and configure the plan's hosts with Ansible, write evidence (JSON + OSCAL)."""

from __future__ import annotations

import difflib
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from common.errors import RemoteError
from landkarte.commands._common import PROJECT_DIR, JsonOpt
from landkarte.console import console, err_console, print_json

__all__ = ["configure", "render_diff"]

_MARK = {"ok": "ok", "changed": "changed", "skipped": "skipped", "failed": "FAILED", "unreachable": "UNREACHABLE"}


def _failure(res: dict) -> str:
    return " ".join(str(res.get(k) or "") for k in ("msg", "stderr")).strip()[:500]


def render_diff(res: dict) -> list[str]:
    """Unified diff lines of a task result's ``diff`` (what ``--diff`` shows), empty when there is none.

    >>> render_diff({"diff": [{"before": "a\\n", "after": "b\\n", "before_header": "/etc/x", "after_header": "/etc/x"}]})
    ['--- /etc/x', '+++ /etc/x', '@@ -1 +1 @@', '-a', '+b']
    """
    lines: list[str] = []
    diffs = res.get("diff") or []
    for d in diffs if isinstance(diffs, list) else [diffs]:
        if not isinstance(d, dict):
            continue
        if d.get("prepared"):
            lines += str(d["prepared"]).splitlines()
            continue
        before, after = d.get("before", ""), d.get("after", "")
        if not isinstance(before, str) or not isinstance(after, str):  # e.g. file state dicts
            before, after = f"{before}\n", f"{after}\n"
        if before == after:
            continue
        lines += [ln.rstrip("\n") for ln in difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True),
            # the after_header of a template is a local temp file: name the destination on both sides
            fromfile=str(d.get("before_header", "before")),
            tofile=str(d.get("before_header") or d.get("after_header", "after")), n=1)]
    return lines


def _management(stack: str | None, cidrs: list[str] | None) -> tuple[str, ...]:
    """The management networks: the stack's ``landkarte:managementNetworks`` (the one source Pulumi uses
    too), or ``--management-cidr`` where no stack is given (lab, test hosts)."""
    from stacks.config import management_networks

    if stack and cidrs:
        raise typer.BadParameter("give either --stack (its landkarte:managementNetworks) or --management-cidr, "
                                 "not both: the management networks have one source", param_hint="--management-cidr")
    if stack:
        return management_networks(PROJECT_DIR, stack)
    if not cidrs:
        raise typer.BadParameter("name the management networks: --stack STACK (landkarte:managementNetworks of "
                                 "Pulumi.<stack>.yaml) or --management-cidr CIDR", param_hint="--stack")
    return tuple(cidrs)


def configure(
    plan: Annotated[Path, typer.Option("--plan", help="Plan JSON written by `landkarte plan`.")],
    stack: Annotated[str | None, typer.Option(
        "--stack", help="Stack whose landkarte:managementNetworks (Pulumi.<stack>.yaml) may reach SSH; "
                        "the same networks the Pulumi firewall opens.")] = None,
    management: Annotated[list[str] | None, typer.Option(
        "--management-cidr",
        help="Network allowed to reach SSH, instead of --stack (repeatable; lab and test hosts).")] = None,
    limit: Annotated[str | None, typer.Option(
        "--limit", help="Ansible host pattern (VM ids or groups like dc_x).")] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Dry run: report what would change, change nothing; needs no backup password "
                        "(its tasks are then reported not_checked).")] = False,
    diff: Annotated[bool, typer.Option(
        "--diff", help="Show the changes to files (sshd_config, nftables.conf, …) as unified diffs.")] = False,
    canary: Annotated[int, typer.Option(
        "--canary", min=1, help="Hosts in the first batch; the rollout stops if it fails.")] = 1,
    batch: Annotated[str, typer.Option(
        "--batch", help="Hosts per later batch (a number or a percentage).")] = "25%",
    max_fail: Annotated[int, typer.Option(
        "--max-fail-percent", min=0, max=100,
        help="A batch with more failed hosts than this percentage stops the rollout.")] = 0,
    evidence: Annotated[Path, typer.Option(
        "--evidence", help="Where to write the evidence JSON (OSCAL assessment results go beside it, "
                           "<name>.oscal.json).")] = Path("out/evidence.json"),
    user: Annotated[str, typer.Option("--user", help="SSH user on the hosts (sudo without password).")] = "ansible",
    private_key: Annotated[Path | None, typer.Option("--private-key", help="SSH private key file.")] = None,
    known_hosts: Annotated[Path | None, typer.Option(
        "--known-hosts", help="known_hosts file with the hosts' keys (host-key checking is always on).")] = None,
    ntp: Annotated[list[str] | None, typer.Option(
        "--ntp-server", help="Time server (repeatable; default: PTB).")] = None,
    log_host: Annotated[str | None, typer.Option(
        "--log-host", help="VM id of the central log host (default: a VM with a logging role per data centre).")] = None,
    backup_host: Annotated[str | None, typer.Option(
        "--backup-host", help="VM id of the backup repository host (default: a VM with a backup role per "
                              "data centre).")] = None,
    site_vars: Annotated[Path | None, typer.Option(
        "--vars", help="YAML file of role variables for every host (keys from the roles' argument specs).")] = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Show every task result, not only changes.")] = False,
    json_out: JsonOpt = False,
) -> int:
    """Run the playbooks for every VM of PLAN through ansible-runner; exit 1 when a host failed or was unreachable.

    The backup repository password comes from LANDKARTE_BACKUP_PASSWORD_FILE (a file) or
    LANDKARTE_BACKUP_PASSWORD; --check runs without it.
    """
    from configure.apply import Rollout, configure_plan
    from configure.evidence import event_result
    from configure.inventory import InventoryOptions
    from configure.runner import PLAYBOOK_DIR
    from configure.sitevars import load_site_vars

    networks = _management(stack, management)
    extra = load_site_vars(site_vars, PLAYBOOK_DIR) if site_vars else {}
    options = InventoryOptions(
        user=user,
        private_key=str(private_key) if private_key else None,
        known_hosts=str(known_hosts) if known_hosts else None,
        management_sources=networks,
        site_vars=extra,
        log_host=log_host,
        backup_host=backup_host,
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
        mark = "failed*" if result == "failed" and data.get("ignore_errors") else _MARK[result]
        line = f"{data.get('host', '?'):<24} {mark:<11} {role}{data.get('task', '')}"
        if mark == "failed*":
            line += "  (--check: not compliant yet, the run goes on)"
        if result in ("failed", "unreachable"):
            line += f"\n{'':<24} {_failure(data.get('res', {}))}"
        err_console.print(line, markup=False, soft_wrap=True)
        if diff:
            for text in render_diff(data.get("res", {})):
                err_console.print(f"{'':<24} {text}", markup=False, soft_wrap=True)

    spinner = err_console.status("configuring hosts", spinner="dots")
    with spinner if err_console.is_terminal and not json_out else nullcontext():
        outcome = configure_plan(plan, evidence_path=evidence, options=options, limit=limit, check=check,
                                 diff=diff, rollout=Rollout(canary=canary, batch=batch, max_fail_percentage=max_fail),
                                 on_event=show)

    run = outcome.evidence["run"]
    states = {h: v["state"] for h, v in outcome.evidence["hosts"].items()}
    summary = {"status": run["status"], "rc": run["rc"], "seconds": run["seconds"], "changed": run["changed"],
               "failed_hosts": run["failed_hosts"], "unreachable_hosts": run["unreachable_hosts"],
               "hosts": states, "evidence": str(outcome.evidence_path), "oscal": str(outcome.oscal_path)}
    if json_out:
        print_json(summary)
    else:
        for host, state in states.items():
            console.print(f"{host:<24} {state:<12} changed={run['changed'].get(host, 0)}", markup=False)
        console.print(f"evidence: {outcome.evidence_path} and {outcome.oscal_path} "
                      f"({len(outcome.evidence['controls'])} Grundschutz++ controls)", markup=False)
    if run["failed_hosts"] or run["rc"] != 0:
        unreachable = set(run["unreachable_hosts"])
        failed = [h for h in run["failed_hosts"] if h not in unreachable]
        parts = ([f"failed on: {', '.join(failed)}"] if failed else []) + (
            [f"unreachable: {', '.join(sorted(unreachable))}"] if unreachable else [])
        raise RemoteError(f"configure {'; '.join(parts) or 'failed'} (rc {run['rc']}; details in "
                          f"{outcome.evidence_path})")
    return 0
