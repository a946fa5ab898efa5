"""``landkarte deploy render``: the resource graph the stack program declares, without any engine.

:func:`render` runs :func:`stacks.program.main` itself under the recording mock
(:mod:`stacks._recording`), so what engineers review is what Pulumi would get. Secret values
never appear: they are replaced by ``"[secret]"``. The policy pack's validation functions run on
the same resources and their violations are part of the result.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common.fsio import atomic_write_text
from plan.io import read_plan
from plan.models import Flow
from stacks._recording import Recording, run_program
from stacks.config import parse_config
from stacks.firewall import flows_without_rule
from stacks.policies.rules import Resource, run_all

__all__ = ["GRAPH_VERSION", "SECRET", "graph_json", "render", "write_graph"]

GRAPH_VERSION = "1"
SECRET = "[secret]"


def _redact(resource: Resource) -> dict[str, Any]:
    hidden = resource.secret_inputs | resource.secret_outputs
    return {k: SECRET if k in hidden else v for k, v in sorted(resource.props.items())}


def graph_json(recording: Recording, *, plan_path: Path, violations: list[Any],
               unrouted: list[Flow] | None = None) -> dict[str, Any]:
    """The JSON document of a rendered graph (sorted, so equal programs give equal files)."""
    resources = sorted(recording.resources, key=lambda r: r.urn)
    return {
        "graph_version": GRAPH_VERSION,
        "plan": str(plan_path),
        "counts": dict(sorted(Counter(r.type for r in resources).items())),
        "resources": [
            {"urn": r.urn, "type": r.type, "name": r.name, "parent": r.parent, "provider": r.provider,
             "data_centre": r.data_centre, "custom": r.custom, "inputs": _redact(r),
             "secret": sorted(r.secret_inputs | r.secret_outputs)}
            for r in resources
        ],
        "violations": [{"policy": v.policy, "urn": v.urn, "message": v.message} for v in violations],
        "flows_without_rule": [{"id": f.id, "source_org": f.source_org, "target": f.target} for f in unrouted or ()],
    }


def render(plan_path: str | Path, *, config: dict[str, Any] | None = None, stack: str = "render",
           on_register: Callable[[Resource], object] | None = None) -> tuple[dict[str, Any], Recording]:
    """Run the stack program on ``plan_path`` under the recording mock; return (graph JSON, recording).

    Raises
    ------
    plan.io.PlanFormatError, stacks.config.StackConfigError, stacks.firewall.PlanInconsistency
    """
    from stacks.program import main

    plan_path = Path(plan_path).resolve()
    plan = read_plan(plan_path)  # fail with the plan's own error before any mock runs
    values = {**(config or {}), "planPath": str(plan_path)}
    parse_config(values)  # every config problem at once, before any resource
    recording = run_program(main, config=values, stack=stack, on_register=on_register)
    graph = graph_json(recording, plan_path=plan_path, violations=run_all(recording.resources, plan),
                       unrouted=flows_without_rule(plan))
    return graph, recording


def write_graph(graph: dict[str, Any], out: Path) -> None:
    """Write atomically (temp file + rename): never a half-written graph."""
    atomic_write_text(out, json.dumps(graph, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n")
