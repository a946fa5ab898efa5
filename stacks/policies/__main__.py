"""The policy pack (run by the Pulumi engine: ``pulumi preview --policy-pack stacks/policies``).

Constructing :class:`PolicyPack` starts the analyzer's gRPC server and blocks, so this is the
only place that does it; the rules live in :mod:`stacks.policies.rules`. Policies that compare
with the approved plan read it from the policy config ``planPath`` or ``LANDKARTE_POLICY_PLAN``.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    PolicyResource,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from plan.io import PlanFormatError, read_plan
from stacks.naming import dc_of_provider
from stacks.policies.rules import POLICIES, Resource, Violation

_PLAN_SCHEMA = PolicyConfigSchema(properties={"planPath": {"type": "string"}})


def _view(r: PolicyResource) -> Resource:
    provider = r.provider.name if r.provider is not None else None
    return Resource(
        urn=r.urn, type=r.resource_type, name=r.name, props=dict(r.props),
        parent=r.parent.urn if r.parent is not None else None, provider=provider,
        data_centre=dc_of_provider(provider), custom=not r.resource_type.startswith("landkarte:"),
        secret_outputs=frozenset(r.opts.additional_secret_outputs or ()),
    )


def _policy(name: str, description: str, check: Callable[..., list[Violation]], needs_plan: bool) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        plan = None
        if needs_plan:
            path = args.get_config().get("planPath") or os.environ.get("LANDKARTE_POLICY_PLAN")
            if not path:
                report("needs the approved plan: set policy config planPath or LANDKARTE_POLICY_PLAN", None)
                return
            try:
                plan = read_plan(path)
            except PlanFormatError as exc:
                report(f"cannot read the approved plan: {exc}", None)
                return
        for v in check([_view(r) for r in args.resources], plan):
            report(v.message, v.urn)

    return StackValidationPolicy(name=name, description=description, validate=validate,
                                 enforcement_level=EnforcementLevel.MANDATORY,
                                 config_schema=_PLAN_SCHEMA if needs_plan else None)


PolicyPack(
    name="landkarte",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[_policy(name, desc, check, needs) for name, (desc, check, needs) in POLICIES.items()],
)
