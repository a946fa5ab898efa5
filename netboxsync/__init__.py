"""NetBox as the source of truth: push, pull and diff a Landkarte inventory (and plan) against NetBox.

>>> from netboxsync import connect, push_landscape, pull_landscape     # doctest: +SKIP
>>> client = connect()                         # LANDKARTE_NETBOX_URL + LANDKARTE_NETBOX_TOKEN(_FILE)
>>> report = push_landscape(client, landscape)  # bulk writes; a second push makes 0 writes
>>> pull_landscape(client) == landscape
True

Layout: :mod:`.client` (generic REST machinery: retries, bulk calls, counting), :mod:`.endpoints` (thin
per-endpoint maps), :mod:`.mapping` (Landscape/Plan → desired objects), :mod:`.sync` (diff and apply),
:mod:`.pull` (NetBox → Landscape), :mod:`.progress` (NetBox → actuals: progress per system, target instances live), :mod:`.settings` (URL and token from the environment),
:mod:`.uniqueness` (NetBox's uniqueness rules, checked before the first write), :mod:`.references` (what still
refers to an object before it is deleted).
"""

from __future__ import annotations

from collections.abc import Callable

from inventory.models import Landscape
from plan.models import Plan

from .client import NetBoxClient, RequestStats
from .errors import (
    ConfigError,
    DeleteBlocked,
    InvalidProgress,
    NetBoxRejected,
    NetBoxSyncError,
    NetBoxUnavailable,
    NotALandscape,
    OwnershipConflict,
)
from .mapping import MappingError, desired_objects
from .progress import (
    PROGRESS_ENDPOINTS,
    NetBoxActuals,
    ProgressDifference,
    TargetDifference,
    TargetInNetBox,
    actuals_from_state,
    progress_differences,
    target_differences,
)
from .pull import PULL_ENDPOINTS, landscape_from_state
from .settings import NetBoxSettings, load_settings
from .sync import Change, SyncReport, check_deletes, diff, push, read_state

__all__ = [
    "Change",
    "ConfigError",
    "DeleteBlocked",
    "InvalidProgress",
    "MappingError",
    "NetBoxActuals",
    "NetBoxClient",
    "NetBoxRejected",
    "NetBoxSettings",
    "NetBoxSyncError",
    "NetBoxUnavailable",
    "NotALandscape",
    "OwnershipConflict",
    "ProgressDifference",
    "RequestStats",
    "SyncReport",
    "TargetDifference",
    "TargetInNetBox",
    "connect",
    "diff_landscape",
    "progress_differences",
    "pull_actuals",
    "pull_landscape",
    "push_landscape",
    "target_differences",
]


def connect(settings: NetBoxSettings | None = None) -> NetBoxClient:
    """A client for the NetBox named by the environment; checks that it answers and accepts the token."""
    client = NetBoxClient(settings or load_settings())
    client.status()
    return client


def diff_landscape(client: NetBoxClient, landscape: Landscape, plan: Plan | None = None, *,
                   adopt: bool = False, orphan: bool = False) -> list[Change]:
    """What :func:`push_landscape` would change (reads only), conflicts and blocked deletes included."""
    desired = desired_objects(landscape, plan)
    state = read_state(client)
    changes = diff(desired, state, with_plan=plan is not None, adopt=adopt)
    return check_deletes(client, changes, state, desired, orphan=orphan)


def push_landscape(client: NetBoxClient, landscape: Landscape, plan: Plan | None = None, *,
                   adopt: bool = False, orphan: bool = False,
                   on_endpoint: Callable[[str], None] | None = None) -> SyncReport:
    """Make NetBox hold ``landscape`` (and ``plan``); ``on_endpoint`` is called after each endpoint."""
    return push(client, desired_objects(landscape, plan), with_plan=plan is not None, adopt=adopt, orphan=orphan,
                on_endpoint=on_endpoint)


def pull_landscape(client: NetBoxClient) -> Landscape:
    """Read the inventory back from NetBox."""
    return landscape_from_state(read_state(client, PULL_ENDPOINTS))


def pull_actuals(client: NetBoxClient) -> NetBoxActuals:
    """What NetBox says happened: the progress per system (``landkarte_progress`` on Landkarte's tenants) and the
    target instances' go-live days (``landkarte_live`` on the plan's VMs)."""
    return actuals_from_state(read_state(client, PROGRESS_ENDPOINTS))
