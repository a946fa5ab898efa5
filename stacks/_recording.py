"""Run the stack program in-process under a recording mock engine (no Pulumi CLI, no providers).

Used by ``landkarte deploy render``, the unit tests and the benchmark. The mock behaves like
the engine where it matters for review: outputs equal inputs, outputs the resource lists in
``additional_secret_outputs`` come back as secrets (``pulumi.Output.secret``), and provider
specific computed outputs (passwords, keys, certificates, ids) get deterministic fake values.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.runtime import mocks as _mocks
from pulumi.runtime import rpc
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from stacks.naming import dc_of_provider
from stacks.policies.rules import Resource

__all__ = ["Recording", "RecordingMocks", "RecordingMonitor", "install_mocks", "run_program"]


def _fake(kind: str, name: str) -> str:
    return f"mock-{kind}-" + hashlib.sha256(name.encode()).hexdigest()[:16]


class RecordingMocks(pulumi.runtime.Mocks):
    """Outputs = inputs plus deterministic fake values for the computed outputs we read."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        t, n = args.typ, args.name
        if t == "random:index/randomPassword:RandomPassword":
            state["result"] = pulumi.Output.secret(_fake("password", n))
            state["bcryptHash"] = pulumi.Output.secret(_fake("bcrypt", n))
        elif t == "tls:index/privateKey:PrivateKey":
            state["privateKeyPem"] = pulumi.Output.secret(f"-----BEGIN PRIVATE KEY-----\n{_fake('key', n)}\n")
            state["publicKeyPem"] = f"-----BEGIN PUBLIC KEY-----\n{_fake('pub', n)}\n"
        elif t in ("tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert"):
            state["certPem"] = f"-----BEGIN CERTIFICATE-----\n{_fake('cert', n)}\n"
        elif t == "tls:index/certRequest:CertRequest":
            state["certRequestPem"] = f"-----BEGIN CERTIFICATE REQUEST-----\n{_fake('csr', n)}\n"
        elif t == "keycloak:index/realm:Realm":
            return state.get("realm", n), state
        elif t == "pulumi:pulumi:StackReference":
            state["outputs"] = {"intermediate_ca_pem": f"-----BEGIN CERTIFICATE-----\n{_fake('cert', n)}\n",
                                "intermediate_ca_key_pem": _fake("key", n)}
            state["secretOutputNames"] = ["intermediate_ca_key_pem"]
        return _fake("id", f"{t}::{n}"), state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@dataclass(frozen=True)
class Recording:
    """Every resource the program registered, in registration order."""

    resources: tuple[Resource, ...]

    def of_type(self, type_: str) -> list[Resource]:
        return [r for r in self.resources if r.type == type_]

    def by_name(self, name: str) -> Resource:
        matches = [r for r in self.resources if r.name == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources named {name!r}")
        return matches[0]


class RecordingMonitor(_mocks.MockMonitor):
    """A mock monitor that records each registration (type, name, parent, provider, secrets)
    and, like the engine, turns ``additional_secret_outputs`` into secret outputs."""

    def __init__(self, mocks: pulumi.runtime.Mocks, on_register: Callable[[Resource], object] | None = None):
        super().__init__(mocks)
        self.on_register = on_register
        self.records: list[Resource] = []
        self._urn_names: dict[str, str] = {}
        self._lock = threading.Lock()

    def RegisterResource(self, request: Any) -> Any:
        if request.type == "pulumi:pulumi:Stack":
            return super().RegisterResource(request)
        # Same steps as MockMonitor.RegisterResource, plus the engine's secret marking and the record.
        urn = self.make_urn(request.parent, request.type, request.name)
        _ensure_event_loop()
        inputs = rpc.deserialize_properties(request.object)
        mock_id, state = self.mocks.new_resource(pulumi.runtime.MockResourceArgs(
            typ=request.type, name=request.name, inputs=inputs, provider=request.provider,
            resource_id=request.importId, custom=request.custom or False,
        ))
        id_ = mock_id or ""
        secret_outputs = tuple(request.additionalSecretOutputs)
        for key in secret_outputs:
            if key in state and not isinstance(state[key], pulumi.Output):
                state[key] = pulumi.Output.secret(state[key])
        obj = _sync_await(rpc.serialize_properties(state, {}))
        provider = request.provider.split("::")[3] if request.provider.count("::") >= 4 else None
        record = Resource(
            urn=urn, type=request.type, name=request.name, props={k: _plain(v) for k, v in inputs.items()},
            parent=request.parent or None, provider=provider, data_centre=dc_of_provider(provider),
            custom=bool(request.custom), secret_outputs=frozenset(secret_outputs),
            secret_inputs=frozenset(k for k, v in inputs.items() if rpc.is_rpc_secret(v)),
        )
        with self._lock:
            self.resources[urn] = _mocks.MockMonitor.ResourceRegistration(urn, id_, state)
            self.records.append(record)
        if self.on_register is not None:
            self.on_register(record)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=obj)


def _plain(value: Any) -> Any:
    """Drop secret markers (secretness is recorded separately) and unknowns."""
    if rpc.is_rpc_secret(value):
        value = rpc.unwrap_rpc_secret(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is rpc.UNKNOWN or isinstance(value, pulumi.output.Unknown):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)  # protobuf carries every number as a double
    return value


def install_mocks(*, stack: str = "render", project: str = "landkarte",
                  on_register: Callable[[Resource], object] | None = None) -> RecordingMonitor:
    """Install a fresh recording monitor as the process's Pulumi runtime (``set_mocks`` is global)."""
    monitor = RecordingMonitor(RecordingMocks(), on_register)
    pulumi.runtime.set_mocks(monitor.mocks, project=project, stack=stack, preview=False, monitor=monitor)
    return monitor


def run_program(program: Callable[[], object], *, config: dict[str, Any] | None = None,
                stack: str = "render", on_register: Callable[[Resource], object] | None = None) -> Recording:
    """Run ``program`` (e.g. :func:`stacks.program.main`) under a recording mock and return what it declared.

    ``config`` maps keys without namespace (``planPath``) to values; it replaces the config.
    ``on_register`` is called with each resource as it is registered (progress display).
    """
    monitor = install_mocks(stack=stack, on_register=on_register)
    pulumi.runtime.set_all_config({f"landkarte:{k}": v if isinstance(v, str) else json.dumps(v)
                                   for k, v in (config or {}).items()})

    @pulumi.runtime.test
    def _run() -> None:
        program()

    _run()
    return Recording(tuple(monitor.records))
