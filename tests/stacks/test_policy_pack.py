"""The pack's __main__: six mandatory stack policies wired to the rules (PolicyPack itself is replaced,
because constructing it starts the analyzer's gRPC server and blocks)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pulumi_policy
import pytest
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    StackValidationArgs,
)

from plan.io import write_plan
from stacks.policies.rules import POLICIES

PACK = Path(__file__).resolve().parents[2] / "stacks" / "policies" / "__main__.py"


@pytest.fixture
def pack(monkeypatch):
    built = {}

    def fake_pack(**kwargs):
        built.update(kwargs)

    monkeypatch.setattr(pulumi_policy, "PolicyPack", fake_pack)
    runpy.run_path(str(PACK), run_name="__main__")
    return built


def _policy_resources(recording):
    """The recorded resources as the policy engine hands them over (secret inputs unwrapped)."""
    out = {}
    for r in recording.resources:
        provider = PolicyProviderResource("pulumi:providers:proxmoxve", {}, f"urn:{r.provider}", r.provider) \
            if r.provider else None
        opts = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), sorted(r.secret_outputs),
                                     r.parent)
        out[r.urn] = PolicyResource(r.type, dict(r.props), r.urn, r.name, opts, provider, None, [], {})
    for r in recording.resources:  # link parents like the engine does
        out[r.urn].parent = out.get(r.parent) if r.parent else None
    return list(out.values())


def _validate(policy, resources, config=None):
    reports = []
    policy.validate(StackValidationArgs(resources, config or {}), lambda msg, urn=None: reports.append((urn, msg)))
    return reports


def test_pack_has_every_policy_mandatory(pack):
    assert len(pack["policies"]) == 10
    assert pack["name"] == "landkarte"
    assert sorted(p.name for p in pack["policies"]) == sorted(POLICIES)
    assert {p.enforcement_level for p in pack["policies"]} == {EnforcementLevel.MANDATORY}


def test_pack_policies_pass_good_stack_and_catch_bad_one(pack, plan, run_stack, tmp_path):
    approved = tmp_path / "approved.json"
    write_plan(plan, approved)
    policies = {p.name: p for p in pack["policies"]}
    good = _policy_resources(run_stack(plan))
    for name, policy in policies.items():
        assert _validate(policy, good, {"planPath": str(approved)}) == [], name
    vms = tuple(vm.model_copy(update={"data_centre": "rz-sued", "address": "10.30.0.12"}) if vm.id == "ewm-1" else vm
                for vm in plan.vms)
    bad = _policy_resources(run_stack(plan.model_copy(update={"vms": vms})))
    reports = _validate(policies["sehr-hoch-only-in-certified-sites"], bad, {"planPath": str(approved)})
    assert [urn.rsplit("::", 1)[-1] for urn, _ in reports] == ["rz-sued-ewm-1"]


def test_pack_policy_without_plan_reports_what_it_needs(pack, plan, run_stack, monkeypatch):
    monkeypatch.delenv("LANDKARTE_POLICY_PLAN", raising=False)
    isolation = next(p for p in pack["policies"] if p.name == "tenant-isolation")
    reports = _validate(isolation, _policy_resources(run_stack(plan)))
    assert reports == [(None, "needs the approved plan: set policy config planPath or LANDKARTE_POLICY_PLAN")]


def test_pack_policy_reads_plan_from_environment(pack, plan, run_stack, monkeypatch, tmp_path):
    approved = tmp_path / "approved.json"
    write_plan(plan, approved)
    monkeypatch.setenv("LANDKARTE_POLICY_PLAN", str(approved))
    isolation = next(p for p in pack["policies"] if p.name == "tenant-isolation")
    assert _validate(isolation, _policy_resources(run_stack(plan))) == []
