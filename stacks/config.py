"""Stack configuration: read and checked here, and only here.

Every key lives in the ``landkarte`` namespace and is declared with a description and a
default in ``Pulumi.yaml`` (:data:`DEFAULTS` mirrors those defaults; a test keeps them equal).
:func:`load_config` reports every bad key at once, each as ``landkarte:<key>: <problem>``,
before any resource is declared. Secrets (Proxmox API token, Keycloak client secret, Vault
token) never go through this module: the providers read them from the environment
(``PROXMOX_VE_API_TOKEN``, ``KEYCLOAK_CLIENT_SECRET``, ``VAULT_TOKEN``) or from Pulumi config
secrets of the provider namespaces.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi.runtime import config as _runtime_config

from common.errors import InputError, IssuesError
from common.yamlfile import YamlFile

__all__ = [
    "DEFAULTS",
    "NAMESPACE",
    "PLAN_PATH_ENV",
    "Scope",
    "StackConfig",
    "StackConfigError",
    "UnknownStack",
    "known_stacks",
    "load_config",
    "management_networks",
    "parse_config",
    "stack_config",
    "stack_file_config",
]

NAMESPACE = "landkarte"

#: Defaults of every key, equal to the ``default:`` entries of ``Pulumi.yaml``.
DEFAULTS: dict[str, Any] = {
    "planPath": "out/plan.json",
    "scope": "all",
    "sharedStack": "",
    "proxmoxEndpoint": "https://pve.{dc}.example.invalid:8006/",
    "proxmoxInsecure": False,
    "proxmoxNode": "pve1",
    "proxmoxNodes": ["pve1", "pve2"],
    "vmDatastore": "local-lvm",
    "fileDatastore": "local",
    "tenantBridge": "vmbr1",
    "servicePrefixLength": 24,
    "templateImageUrl": "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2",
    "keycloakUrl": "https://id.example.invalid",
    "keycloakRealm": "egov-saar",
    "manageRealm": True,
    "vaultAddress": "https://vault.example.invalid:8200",
    "monitoringServer": "monitoring.example.invalid",
    "monitoringPort": 4318,
    "backupStorage": "pbs",
    "backupDatastore": "backup",
    "backupScheduleNormal": "sat 02:00",
    "backupScheduleHoch": "01:00",
    "backupScheduleSehrHoch": "0/4:00",
    "dnsDomain": "egov-saar.example",
    "caValidityYears": 10,
    "rootCaCertFile": "",
    "intermediateCaCertFile": "",
    "certValidityDays": 397,
    "passwordLength": 32,
    "sshPublicKeys": [],
    "managementNetworks": [],
}

_SCOPE_RE = re.compile(r"^(all|shared|dc:[a-z0-9][a-z0-9._-]*|kreis:([0-9]{5}|none))$")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_HOST_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")


class StackConfigError(InputError):
    """Bad stack configuration: one line per bad key, each starting with ``landkarte:<key>``.

    ``source`` names where the values come from (e.g. ``Pulumi.dev.yaml``) and leads the message.
    """

    def __init__(self, problems: list[str], source: str | None = None):
        self.problems = problems
        self.source = source
        super().__init__((f"{source}: " if source else "") + "; ".join(problems))

    def __reduce__(self):
        return type(self), (self.problems, self.source)


@dataclass(frozen=True)
class Scope:
    """Which part of the plan this stack declares (see ``docs/stacks.md``, "Splitting stacks")."""

    kind: str
    """``all``, ``shared`` (PKI and realm), ``dc`` (one data centre) or ``kreis`` (the tenants of one Kreis)."""
    key: str = ""
    """The data centre id or the Kreisschlüssel (``none`` for organisations without a Kreis)."""

    @property
    def has_shared(self) -> bool:
        return self.kind in ("all", "shared")

    def has_dc(self, dc: str) -> bool:
        return self.kind == "all" or (self.kind == "dc" and self.key == dc)

    def has_tenant(self, district: str | None) -> bool:
        return self.kind == "all" or (self.kind == "kreis" and self.key == (district or "none"))


@dataclass(frozen=True)
class StackConfig:
    plan_path: Path
    scope: Scope
    shared_stack: str
    proxmox_endpoint: str
    """URL with ``{dc}`` replaced by the data centre id."""
    proxmox_insecure: bool
    proxmox_node: str
    proxmox_nodes: tuple[str, ...]
    """Nodes the VMs are spread over (at least two; instances of one service on different nodes)."""
    vm_datastore: str
    file_datastore: str
    tenant_bridge: str
    service_prefix_length: int
    template_image_url: str
    keycloak_url: str
    keycloak_realm: str
    manage_realm: bool
    vault_address: str
    monitoring_server: str
    monitoring_port: int
    backup_storage: str
    backup_datastore: str
    """Datastore of the backup hosts' repository disks (its own storage, sized from the systems' data)."""
    backup_schedule_normal: str
    backup_schedule_hoch: str
    backup_schedule_sehr_hoch: str
    dns_domain: str
    ca_validity_years: int
    root_ca_cert_pem: str | None
    """The offline root CA's certificate (imported; never its key)."""
    intermediate_ca_cert_pem: str | None
    """This stack's intermediate certificate, signed offline from the CSR output."""
    cert_validity_days: int
    password_length: int
    ssh_public_keys: tuple[str, ...]
    management_networks: tuple[str, ...]

    def endpoint(self, dc: str) -> str:
        return self.proxmox_endpoint.replace("{dc}", dc)


def _parse_value(raw: Any, default: Any) -> Any:
    """Config values arrive as strings (JSON for booleans, numbers and arrays)."""
    if not isinstance(raw, str) or isinstance(default, str):
        return raw
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _read_pem(value: str, base_dir: Path | None, key: str, bad) -> str | None:
    """A certificate file's PEM text ("" → None); a missing file or a private key in it is an error."""
    if not value:
        return None
    path = Path(value)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        bad(key, f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}")
        return None
    if "PRIVATE KEY" in text:
        bad(key, f"{path} holds a private key: only the certificate may be imported (the CA key stays offline)")
        return None
    if "-----BEGIN CERTIFICATE-----" not in text:
        bad(key, f"{path} is not a PEM certificate")
        return None
    return text


def parse_config(values: dict[str, Any], *, base_dir: Path | None = None) -> StackConfig:
    """Check raw config values (key without namespace → value) against :data:`DEFAULTS`.

    Raises
    ------
    StackConfigError
        Naming every bad key, e.g. ``landkarte:monitoringPort: must be an integer 1–65535``.
    """
    problems: list[str] = []
    unknown = sorted(set(values) - set(DEFAULTS))
    problems += [f"{NAMESPACE}:{k}: unknown key (declared keys are listed in Pulumi.yaml)" for k in unknown]
    v = {k: _parse_value(values[k], d) if k in values else d for k, d in DEFAULTS.items()}

    def bad(key: str, msg: str) -> None:
        problems.append(f"{NAMESPACE}:{key}: {msg}")

    for key, default in DEFAULTS.items():
        val = v[key]
        if isinstance(default, bool):
            if not isinstance(val, bool):
                bad(key, "must be true or false")
        elif isinstance(default, int):
            if isinstance(val, bool) or not isinstance(val, int):
                bad(key, "must be an integer")
        elif isinstance(default, list):
            if not isinstance(val, list) or not all(isinstance(x, str) for x in val):
                bad(key, "must be a list of strings")
        elif not isinstance(val, str):
            bad(key, "must be a string")
    if len(problems) > len(unknown):  # wrong types: the value checks below would only repeat them
        raise StackConfigError(problems)

    if not str(v["planPath"]).strip():
        bad("planPath", "must name the plan JSON file")
    if not _SCOPE_RE.match(v["scope"]):
        bad("scope", "must be all, shared, dc:<data centre id> or kreis:<Kreisschlüssel|none>")
    elif v["scope"].split(":")[0] in ("dc", "kreis") and not v["sharedStack"]:
        bad("sharedStack", f"required when scope is {v['scope']} (the stack holding the PKI, e.g. org/landkarte/shared)")
    for key in ("proxmoxEndpoint", "keycloakUrl", "vaultAddress", "templateImageUrl"):
        if not re.match(r"^https://[^\s/]+", v[key]):
            bad(key, "must be an https:// URL")
    for key in ("proxmoxNode", "vmDatastore", "fileDatastore", "tenantBridge", "keycloakRealm", "backupStorage",
                "backupDatastore"):
        if not _NAME_RE.match(v[key]):
            bad(key, "must be a plain name (letters, digits, '.', '_', '-')")
    for key in ("monitoringServer", "dnsDomain"):
        if not _HOST_RE.match(v[key]):
            bad(key, "must be a DNS name")
    for key, lo, hi in (("monitoringPort", 1, 65535), ("servicePrefixLength", 8, 30), ("caValidityYears", 1, 30),
                        ("certValidityDays", 1, 825), ("passwordLength", 16, 128)):
        if not lo <= v[key] <= hi:
            bad(key, f"must be between {lo} and {hi}")
    for key in ("backupScheduleNormal", "backupScheduleHoch", "backupScheduleSehrHoch"):
        if not v[key].strip():
            bad(key, "must be a Proxmox calendar event, e.g. 01:00")
    for i, net in enumerate(v["managementNetworks"]):
        try:
            ipaddress.ip_network(net, strict=True)
        except ValueError:
            bad(f"managementNetworks[{i}]", f"{net!r} is not a CIDR prefix")
    for i, key in enumerate(v["sshPublicKeys"]):
        if not re.match(r"^(ssh-ed25519|ecdsa-sha2-nistp\d+|ssh-rsa) \S+", key):
            bad(f"sshPublicKeys[{i}]", "is not an OpenSSH public key")
    if len(v["proxmoxNodes"]) < 2 or len(set(v["proxmoxNodes"])) != len(v["proxmoxNodes"]):
        bad("proxmoxNodes", "must list at least two different nodes (VMs of one service go to different nodes)")
    for i, node in enumerate(v["proxmoxNodes"]):
        if not _NAME_RE.match(node):
            bad(f"proxmoxNodes[{i}]", "must be a plain name (letters, digits, '.', '_', '-')")
    pems = {key: _read_pem(v[key], base_dir, key, bad) for key in ("rootCaCertFile", "intermediateCaCertFile")}
    if problems:
        raise StackConfigError(problems)

    plan_path = Path(v["planPath"])
    if not plan_path.is_absolute() and base_dir is not None:
        plan_path = base_dir / plan_path
    kind, _, key = v["scope"].partition(":")
    return StackConfig(
        plan_path=plan_path,
        scope=Scope(kind, key),
        shared_stack=v["sharedStack"],
        proxmox_endpoint=v["proxmoxEndpoint"],
        proxmox_insecure=v["proxmoxInsecure"],
        proxmox_node=v["proxmoxNode"],
        proxmox_nodes=tuple(v["proxmoxNodes"]),
        vm_datastore=v["vmDatastore"],
        file_datastore=v["fileDatastore"],
        tenant_bridge=v["tenantBridge"],
        service_prefix_length=v["servicePrefixLength"],
        template_image_url=v["templateImageUrl"],
        keycloak_url=v["keycloakUrl"],
        keycloak_realm=v["keycloakRealm"],
        manage_realm=v["manageRealm"],
        vault_address=v["vaultAddress"],
        monitoring_server=v["monitoringServer"],
        monitoring_port=v["monitoringPort"],
        backup_storage=v["backupStorage"],
        backup_datastore=v["backupDatastore"],
        backup_schedule_normal=v["backupScheduleNormal"],
        backup_schedule_hoch=v["backupScheduleHoch"],
        backup_schedule_sehr_hoch=v["backupScheduleSehrHoch"],
        dns_domain=v["dnsDomain"],
        ca_validity_years=v["caValidityYears"],
        root_ca_cert_pem=pems["rootCaCertFile"],
        intermediate_ca_cert_pem=pems["intermediateCaCertFile"],
        cert_validity_days=v["certValidityDays"],
        password_length=v["passwordLength"],
        ssh_public_keys=tuple(v["sshPublicKeys"]),
        management_networks=tuple(v["managementNetworks"]),
    )


PLAN_PATH_ENV = "LANDKARTE_PLAN_PATH"
"""Set by ``landkarte deploy`` for the run: the plan path never has to be written into the stack file."""


def stack_file_config(path: Path) -> dict[str, Any]:
    """The ``landkarte:`` keys of a ``Pulumi.<stack>.yaml`` (namespace stripped; secure values skipped).

    Raises
    ------
    StackConfigError
        When the file cannot be read or is not a mapping with a ``config`` mapping.
    """
    try:
        data = YamlFile.read(path, path.name).data
    except IssuesError as exc:
        raise StackConfigError([str(i) for i in exc.issues]) from None
    config = data.get("config", {}) if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise StackConfigError(["'config' must be a mapping"], path.name)
    prefix = NAMESPACE + ":"
    return {k[len(prefix):]: v for k, v in config.items()
            if k.startswith(prefix) and not (isinstance(v, dict) and "secure" in v)}


class UnknownStack(InputError):
    """No ``Pulumi.<stack>.yaml`` for a stack name (never silently the defaults' example endpoints)."""


def known_stacks(project_dir: Path) -> list[str]:
    """Stacks with a file in the project directory."""
    return sorted(p.name[len("Pulumi."):-len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))


def stack_config(project_dir: Path, stack: str | None, *, create: bool = False) -> dict[str, Any]:
    """The checked ``landkarte:`` config of ``Pulumi.<stack>.yaml`` in ``project_dir``.

    No stack gives ``{}`` (the defaults of ``Pulumi.yaml``); so does a new stack with ``create``.
    The values are checked as the program will check them, so every problem shows before any
    engine runs.

    Raises
    ------
    UnknownStack
        No file for the stack (and not ``create``); the message lists the known stacks.
    StackConfigError
        Naming the file and every bad key.
    """
    if not stack:
        return {}
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", stack):
        raise StackConfigError([f"stack name {stack!r}: letters, digits, '.', '_' and '-' only"])
    path = project_dir / f"Pulumi.{stack}.yaml"
    if not path.exists():
        if create:
            return {}
        known = ", ".join(known_stacks(project_dir)) or "none"
        raise UnknownStack(f"unknown stack {stack!r}: there is no {path.name} (known stacks: {known}); "
                           "pass --create to start a new stack")
    values = stack_file_config(path)
    try:
        parse_config(values)
    except StackConfigError as exc:
        raise StackConfigError(exc.problems, path.name) from None
    return values


def management_networks(project_dir: Path, stack: str) -> tuple[str, ...]:
    """``landkarte:managementNetworks`` of a stack: the networks allowed to reach SSH (Pulumi and Ansible).

    Raises
    ------
    UnknownStack, StackConfigError
        No such stack, or the key is missing or empty (never guessed).
    """
    nets = stack_config(project_dir, stack).get("managementNetworks")
    if not isinstance(nets, list) or not nets or not all(isinstance(n, str) for n in nets):
        raise StackConfigError([("landkarte:managementNetworks must list the management networks (the only "
                                "sources allowed to reach SSH)")], f"Pulumi.{stack}.yaml")
    return tuple(nets)


def load_config() -> StackConfig:
    """The running stack's configuration (``pulumi.Config("landkarte")``), checked.

    ``LANDKARTE_PLAN_PATH`` (the plan ``landkarte deploy`` was given) overrides ``planPath``.
    Relative ``planPath`` values are taken from the project directory (Pulumi's working directory).
    """
    prefix = NAMESPACE + ":"
    all_config = {**_runtime_config.get_config_env(), **_runtime_config.CONFIG.get()}
    values = {k[len(prefix):]: val for k, val in all_config.items() if k.startswith(prefix)}
    if os.environ.get(PLAN_PATH_ENV):
        values["planPath"] = os.environ[PLAN_PATH_ENV]
    return parse_config(values, base_dir=Path.cwd())
