"""Generic NetBox client machinery: session, retries, bulk writes, request counting.

Nothing here knows about Landkarte's objects; the per-endpoint maps live in :mod:`netboxsync.endpoints`.
pynetbox does the REST work with ``strict_filters=True`` (an unknown filter would otherwise silently return
every object), and every Record is turned into a plain ``dict`` right here, at the boundary, because a
Record's attribute access can fetch over the network.

Retries
    Reads, PATCH and PUT are retried with exponential back-off on timeouts, refused connections and 5xx
    answers (they are idempotent). POST and DELETE are retried by the HTTP layer only when the connection
    was refused (the request never reached NetBox); any other failure of a write is raised as
    :class:`WriteInDoubt`, and the sync engine re-reads NetBox and plans again, so nothing is duplicated.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import pynetbox
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from common.errors import RemoteError

from .errors import ConfigError, NetBoxRejected, NetBoxUnavailable
from .settings import NetBoxSettings

__all__ = ["NetBoxClient", "RequestStats", "WriteInDoubt"]

log = logging.getLogger(__name__)

_RETRY_STATUS = (500, 502, 503, 504)
_CONNECT_TIMEOUT_S = 5.0

# urllib3 logs one warning per retry ("Retrying (Retry(total=…)) after connection broken by …"): noise for
# the user, who gets one clear message from us when the retries are used up.
logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)


def _why(exc: requests.RequestException) -> str:
    """A short reason, without the exception's text (it may repeat the URL)."""
    if isinstance(exc, requests.ConnectTimeout):
        return "no connection within the timeout"
    if isinstance(exc, requests.Timeout):
        return "no answer within the timeout"
    if isinstance(exc, requests.ConnectionError):
        text = str(exc)
        if "Connection refused" in text:
            return "connection refused: nothing listens at that port"
        if "Name or service not known" in text or "NameResolutionError" in text or "nodename" in text:
            return "the host name is unknown"
        return "connection failed"
    return type(exc).__name__


class WriteInDoubt(RemoteError):
    """A write failed in a way that leaves open whether NetBox applied it (timeout, reset, 5xx)."""


class RequestStats:
    """Counts HTTP requests by method and objects written, for idempotence checks and benchmarks."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.objects: Counter[str] = Counter()
        """Objects written: ``created``, ``updated``, ``deleted``."""

    @property
    def writes(self) -> int:
        """Write requests sent (POST, PATCH, PUT, DELETE)."""
        return sum(n for m, n in self.requests.items() if m != "GET")

    @property
    def objects_written(self) -> int:
        return sum(self.objects.values())

    def snapshot(self) -> dict[str, int]:
        return {**{f"requests_{m.lower()}": n for m, n in sorted(self.requests.items())},
                **{f"objects_{k}": n for k, n in sorted(self.objects.items())}}


class _Session(requests.Session):
    """A session with a default timeout that counts every logical request (retries not included)."""

    def __init__(self, timeout: float, stats: RequestStats):
        super().__init__()
        self._timeout = timeout
        self._stats = stats
        self._lock = threading.Lock()

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self._timeout)
        name = method.decode() if isinstance(method, bytes) else method
        with self._lock:  # reads run in parallel threads
            self._stats.requests[name.upper()] += 1
        return super().request(method, url, *args, **kwargs)

    def __repr__(self) -> str:  # never show headers (the token)
        return f"<NetBox session timeout={self._timeout}>"


class _Api(pynetbox.api):
    """pynetbox's API with the OpenAPI document (which ``strict_filters`` checks filters against, ~5 s to
    load) shared by every client of the same NetBox in this process."""

    _openapi_cache: ClassVar[dict[str, Any]] = {}

    def openapi(self) -> Any:
        if self.base_url not in self._openapi_cache:
            self._openapi_cache[self.base_url] = super().openapi()
        return self._openapi_cache[self.base_url]


def _retry(settings: NetBoxSettings) -> Retry:
    return Retry(
        total=None,
        connect=settings.retries,
        read=settings.retries,
        status=settings.retries,
        other=0,
        backoff_factor=settings.backoff_s,
        backoff_max=8.0,
        status_forcelist=_RETRY_STATUS,
        # Connection-refused errors are retried for every method (the request was never sent); read
        # errors and 5xx answers only for idempotent methods.
        allowed_methods=frozenset({"GET", "HEAD", "OPTIONS", "PATCH", "PUT"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )


class NetBoxClient:
    """A thin, counted, retrying wrapper around :func:`pynetbox.api`.

    Parameters
    ----------
    settings : URL, token (file), timeout, retries, batch size.

    Examples
    --------
    >>> client = NetBoxClient(NetBoxSettings(url="http://127.0.0.1:1", token="x" * 40))
    >>> client.stats.writes
    0
    """

    def __init__(self, settings: NetBoxSettings):
        self.settings = settings
        self.stats = RequestStats()
        self._count_lock = threading.Lock()
        session = _Session(settings.timeout_s, self.stats)
        adapter = HTTPAdapter(max_retries=_retry(settings), pool_maxsize=8)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        self.api = _Api(settings.url.rstrip("/"), token=settings.secret(), strict_filters=True)
        self.api.http_session = session

    def __repr__(self) -> str:
        return f"NetBoxClient(url={self.settings.url!r})"

    # ------------------------------------------------------------------ generic endpoint access

    def endpoint(self, name: str) -> pynetbox.core.endpoint.Endpoint:
        """``"tenancy.tenants"`` → the pynetbox endpoint ``api.tenancy.tenants``."""
        app, _, attr = name.partition(".")
        return getattr(getattr(self.api, app), attr.replace("-", "_"))

    def status(self) -> dict[str, Any]:
        """``/api/status/``: NetBox version and more; raises when NetBox is unreachable or the token is bad.

        This first contact is made once, without retries and with a short connect timeout: a NetBox that is
        not there is reported at once (retries are for a NetBox that goes away in the middle of a push).
        """
        url = f"{self.api.base_url}/status/"
        try:
            with requests.Session() as plain:  # no retrying adapter
                resp = plain.get(url, headers=self._headers(),
                                 timeout=(min(self.settings.timeout_s, _CONNECT_TIMEOUT_S), self.settings.timeout_s))
        except requests.RequestException as exc:
            raise NetBoxUnavailable(f"NetBox at {self.settings.url} does not answer ({_why(exc)})") from None
        if resp.status_code in (401, 403):
            raise ConfigError(f"NetBox at {self.settings.url} refused the token (HTTP {resp.status_code})")
        if resp.status_code != 200:
            raise NetBoxUnavailable(f"NetBox at {self.settings.url} answered HTTP {resp.status_code}")
        try:
            return resp.json()
        except ValueError:
            raise NetBoxUnavailable(f"{self.settings.url} answered, but not like a NetBox API "
                                    "(no JSON at /api/status/)") from None

    def _headers(self) -> dict[str, str]:
        token = self.api.token
        scheme = "Bearer" if token.startswith("nbt_") else "Token"
        return {"Authorization": f"{scheme} {token}", "Accept": "application/json"}

    def list(self, name: str, **filters: Any) -> list[dict[str, Any]]:
        """Every object of an endpoint (all pages, 1000 per page), as plain dicts."""
        ep = self.endpoint(name)
        try:
            records = ep.filter(limit=1000, **filters) if filters else ep.all(limit=1000)
            return [dict(r) for r in records]
        except pynetbox.RequestError as exc:
            if exc.req.status_code >= 500:
                raise NetBoxUnavailable(f"NetBox answered HTTP {exc.req.status_code} reading {name}") from None
            raise NetBoxRejected([f"reading {name}: HTTP {exc.req.status_code}: {_short(exc.req.text)}"]) from None
        except requests.RequestException as exc:
            raise NetBoxUnavailable(f"NetBox did not answer reading {name}: {type(exc).__name__}") from None

    def list_many(self, names: Iterable[str], workers: int = 4) -> dict[str, list[dict[str, Any]]]:
        """:meth:`list` for several endpoints at once (in parallel: NetBox serves them side by side)."""
        names = list(names)
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(names)))) as pool:
            return dict(zip(names, pool.map(self.list, names), strict=True))

    def openapi(self) -> dict[str, Any]:
        """NetBox's OpenAPI document (read once per NetBox and process, ~5 s)."""
        try:
            return self.api.openapi()
        except pynetbox.RequestError as exc:
            raise NetBoxUnavailable(f"NetBox answered HTTP {exc.req.status_code} for its API schema") from None
        except requests.RequestException as exc:
            raise NetBoxUnavailable(f"NetBox did not answer for its API schema ({_why(exc)})") from None

    def count(self, name: str, **filters: Any) -> int:
        return self.endpoint(name).count(**filters)

    # ------------------------------------------------------------------ bulk writes

    def bulk_create(
        self, name: str, payloads: Sequence[dict[str, Any]], labels: Sequence[str]
    ) -> list[dict[str, Any]]:
        """Create objects in batches; returns the created objects (plain dicts) in payload order."""
        results = self._batched("create", payloads, labels, lambda c: self.endpoint(name).create(c))
        return [dict(r) for res in results for r in (res if isinstance(res, list) else [res])]

    def bulk_update(self, name: str, payloads: Sequence[dict[str, Any]], labels: Sequence[str]) -> None:
        """PATCH objects in batches; each payload carries its ``id``."""
        self._batched("update", payloads, labels, lambda c: self.endpoint(name).update(c))

    def bulk_delete(self, name: str, ids: Sequence[int], labels: Sequence[str]) -> None:
        self._batched("delete", [{"id": i} for i in ids], labels,
                      lambda c: self.endpoint(name).delete([p["id"] for p in c]))

    def _batched(self, verb: str, payloads: Sequence[dict[str, Any]], labels: Sequence[str],
                 call: Callable[[list[dict[str, Any]]], Any]) -> list[Any]:
        """Send ``payloads`` in batches, ``write_workers`` at a time (NetBox applies each in one transaction).

        Every batch is tried; then rejections (all of them, merged) win over writes in doubt. Objects are
        counted per batch that NetBox applied, so a failed call still counts the batches that went through.
        """
        size = self.settings.batch_size
        chunks = [(list(payloads[lo:lo + size]), list(labels[lo:lo + size])) for lo in range(0, len(payloads), size)]

        counted = {"create": "created", "update": "updated", "delete": "deleted"}[verb]

        def one(item: tuple[list[dict[str, Any]], list[str]]) -> Any:
            try:
                result = self._write(lambda: call(item[0]), item[0], item[1], verb)
            except (NetBoxRejected, WriteInDoubt) as exc:
                return exc
            with self._count_lock:
                self.stats.objects[counted] += len(item[0])
            return result

        if len(chunks) <= 1 or self.settings.write_workers <= 1:
            results = [one(c) for c in chunks]
        else:
            with ThreadPoolExecutor(max_workers=min(self.settings.write_workers, len(chunks))) as pool:
                results = list(pool.map(one, chunks))
        rejected = [p for r in results if isinstance(r, NetBoxRejected) for p in r.problems]
        if rejected:
            raise NetBoxRejected(rejected)
        for r in results:
            if isinstance(r, WriteInDoubt):
                raise r
        return results

    def _write(self, call: Any, chunk: list[dict[str, Any]], labels: Sequence[str], verb: str) -> Any:
        try:
            return call()
        except pynetbox.RequestError as exc:
            status = exc.req.status_code
            if status >= 500:
                raise WriteInDoubt(f"{verb}: NetBox answered HTTP {status}") from None
            raise NetBoxRejected(_problems(exc.req, chunk, labels, verb)) from None
        except requests.ConnectionError as exc:
            raise WriteInDoubt(f"{verb}: connection failed ({type(exc).__name__})") from None
        except requests.Timeout:
            raise WriteInDoubt(f"{verb}: no answer within {self.settings.timeout_s} s") from None


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _problems(resp: requests.Response, chunk: list[dict[str, Any]], labels: Sequence[str], verb: str) -> list[str]:
    """NetBox's error body → one plain sentence per object and field.

    A bulk request answers with ``{"detail": …, "errors": [{"index": i, "errors": {field: [msg]}}]}``
    (NetBox 4.7; older versions: a list aligned with the payload), a single request with one dict;
    ``detail`` alone carries non-field errors (permissions, protected objects).
    """
    try:
        body = resp.json()
    except ValueError:
        return [f"could not {verb} (HTTP {resp.status_code}): {_short(resp.text)}"]
    if isinstance(body, dict) and set(body) == {"detail"}:
        shown = ", ".join(labels[:len(chunk)][:5]) + (f" and {len(chunk) - 5} more" if len(chunk) > 5 else "")
        return [f"could not {verb} {shown}: {body['detail']}"]
    items: Iterable[tuple[int, Any]]
    if isinstance(body, dict) and isinstance(body.get("errors"), list):  # NetBox ≥ 4.5 bulk answer
        items = [(e.get("index", 0), e.get("errors")) for e in body["errors"] if isinstance(e, dict)]
    elif isinstance(body, list):  # older bulk answer: aligned with the payload
        items = enumerate(body)
    else:
        items = [(0, body)]
    out: list[str] = []
    for i, errs in items:
        if not errs:
            continue
        label = labels[i] if i < len(labels) else f"object #{i + 1}"
        for field, msgs in _flatten(errs):
            if field in ("non_field_errors", "__all__", ""):
                out.append(f"{label}: {msgs}")
                continue
            value = chunk[i].get(field.split(".")[0]) if i < len(chunk) else None
            shown = f" (value {value!r})" if isinstance(value, (str, int, float)) and value != "" else ""
            out.append(f"{label}: field '{field}'{shown}: {msgs}")
    return out or [f"could not {verb} (HTTP {resp.status_code}): {_short(resp.text)}"]


def _flatten(errs: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(errs, dict):
        out: list[tuple[str, str]] = []
        for k, v in errs.items():
            out.extend(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(errs, list) and all(isinstance(e, str) for e in errs):
        return [(prefix, " ".join(errs))]
    if isinstance(errs, list):
        out = []
        for e in errs:
            out.extend(_flatten(e, prefix))
        return out
    return [(prefix, str(errs))]
