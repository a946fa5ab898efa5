"""NetBox sync vs raw pynetbox, on the same local NetBox (scripts/netbox.sh), in one run.

1. push of the Saarland sample with ``netboxsync`` (fresh database)  vs  the same objects (same payloads,
   same batch size) created with raw pynetbox bulk ``create([...])`` calls (fresh database), in the order
   raw, push, push, raw (mean of each). Target ≤ 1.3×. netboxsync sends two batches of an endpoint at once.
2. an unchanged re-sync (must write nothing)  vs  one bulk read (``all()``) per endpoint.

``python -m benchmarks netbox`` (root: it installs/starts/resets the local NetBox).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "netbox.sh"


def _sh(*args: str) -> str:
    return subprocess.run(["bash", str(SCRIPT), *args], check=True, capture_output=True, text=True).stdout


def _raw_push(client, desired) -> int:
    """The same objects with plain pynetbox bulk creates; refs resolved from the ids NetBox returns."""
    from netboxsync.endpoints import ENDPOINTS, OWNER_TAG
    from netboxsync.state import Ref

    nb = client.api
    nb.extras.tags.create({"name": "Landkarte", "slug": OWNER_TAG})
    from netboxsync.sync import ensure_schema

    ensure_schema(client)  # same custom fields (the tag exists now, so only those)
    ids: dict[tuple[str, str], int] = {}
    batch = client.settings.batch_size
    requests = 0
    for spec in ENDPOINTS:
        todo = [d for d in desired if d.endpoint == spec.name]
        while todo:  # regions below the Land: parents first
            ready = [d for d in todo if all(not isinstance(v, Ref) or (v.endpoint, v.key) in ids
                                            for v in d.fields.values())]
            payloads = [{**{k: (ids[(v.endpoint, v.key)] if isinstance(v, Ref) else v) for k, v in d.fields.items()},
                         **({"custom_fields": d.custom_fields} if d.custom_fields else {}),
                         "tags": [OWNER_TAG] if spec.keyed_by_name else [{"slug": OWNER_TAG}]} for d in ready]
            ep = client.endpoint(spec.name)
            for lo in range(0, len(payloads), batch):
                made = ep.create(payloads[lo:lo + batch])
                requests += 1
                for d, rec in zip(ready[lo:lo + batch], made, strict=True):
                    ids[(spec.name, d.key)] = rec.id
            todo = [d for d in todo if d not in ready]
    return requests


def main(argv: list[str]) -> int:
    if os.geteuid() != 0:
        print("bench netbox: needs root (it installs, starts and resets the local NetBox); skipped")
        return 0
    from inventory.load import load_landscape
    from netboxsync import connect, pull_landscape
    from netboxsync.endpoints import ENDPOINTS
    from netboxsync.mapping import desired_objects
    from netboxsync.sync import push

    _sh("install")
    _sh("start")
    for line in _sh("env").splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        os.environ[name] = value
    landscape = load_landscape(ROOT / "inventory" / "samples" / "saarland")
    desired = desired_objects(landscape)
    print(f"Saarland sample: {len(landscape.organisations)} organisations, {len(landscape.sites)} sites, "
          f"{len(landscape.hosts)} hosts, {len(landscape.systems)} systems → {len(desired)} NetBox objects")

    # A B B A: the load of a shared machine drifts; this order cancels a linear drift. Mean of each.
    t_raws: list[float] = []
    t_pushes: list[float] = []
    raw_requests = 0
    for which in ("raw", "push", "push", "raw"):
        _sh("reset")
        client = connect()
        if which == "raw":
            t0 = time.perf_counter()
            raw_requests = _raw_push(client, desired)
            t_raws.append(time.perf_counter() - t0)
        else:
            report = push(client, desired)
            t_pushes.append(report.seconds)
    t_raw = sum(t_raws) / len(t_raws)
    t_push = sum(t_pushes) / len(t_pushes)
    # NetBox now holds the raw-created objects: the same objects, so the re-sync must write nothing.

    t0 = time.perf_counter()
    for spec in ENDPOINTS:
        list(client.endpoint(spec.name).all(limit=1000))
    t_read = time.perf_counter() - t0
    again = push(client, desired)
    t0 = time.perf_counter()
    same = pull_landscape(client) == landscape
    t_pull = time.perf_counter() - t0

    rows = [
        ("push Saarland sample (fresh NetBox, mean of 2)", f"{t_push:.1f} s", f"{t_raw:.1f} s",
         f"{t_push / t_raw:.2f}×",
         f"{report.writes} writes / {raw_requests + 2} writes"),
        ("unchanged re-sync vs one read per endpoint", f"{again.seconds:.1f} s", f"{t_read:.1f} s",
         f"{again.seconds / t_read:.2f}×", f"{again.writes} writes"),
    ]
    head = ("operation", "landkarte netbox push", "raw pynetbox", "ratio", "requests")
    widths = [max(len(str(r[i])) for r in (*rows, head)) for i in range(len(head))]
    for r in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    print(f"objects created: {report.objects.get('created', 0)}; re-plans after writes in doubt: {report.retries}; "
          f"targets: push ≤ 1.3× raw, re-sync 0 writes")
    print(f"pull of the whole sample: {t_pull:.1f} s, equal to the pushed Landscape: {same}")
    ok = again.writes == 0 and report.objects.get("created", 0) == len(desired) and same
    return 0 if ok else 1
