"""Open an XLSX workbook from an untrusted source within fixed bounds (size, zip ratio, entries).

The one bounded reader for every workbook a user hands us: ``inventory import``/``validate``
(:mod:`inventory.load.table`, with limits for a Germany-scale export) and the Erhebung
(:mod:`erhebung.einlesen`, with the defaults).

An ``.xlsx`` is a zip of XML files. Before openpyxl sees it, :func:`check_xlsx` makes sure it
is one (not a renamed CSV, an old ``.xls`` or an ODS), that it is not a zip bomb (total and
per-entry uncompressed size, compression ratio, number of entries), that no part carries a
document type declaration (entities, external references) and that it has a workbook part. :func:`open_xlsx` then opens it read-only (rows are streamed, memory stays
flat) and :func:`merged_ranges` lists merged cells per sheet without building the sheet.

Every refusal is a :class:`WorkbookRefused` with a ``kind`` (a stable code callers translate)
and the numbers that explain it.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "liste.xlsx"
>>> _ = p.write_text("id;name\\n1;Rathaus\\n", encoding="utf-8")
>>> try:
...     check_xlsx(p)
... except WorkbookRefused as exc:
...     print(exc.kind)
csv
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from common.errors import InputError

__all__ = ["Limits", "WorkbookRefused", "check_xlsx", "merged_ranges", "open_xlsx", "sheet_parts"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds for one workbook; the defaults fit any questionnaire or inventory table by a wide margin."""

    max_file_bytes: int = 50_000_000
    max_uncompressed_bytes: int = 300_000_000
    """Sum of the declared uncompressed sizes of all entries."""
    max_ratio: float = 150.0
    """Uncompressed/compressed size per entry above ``ratio_above`` (spreadsheet XML compresses ~5-30×)."""
    ratio_above: int = 1_000_000
    """Uncompressed bytes from which an entry's ratio is checked (small parts may pack very well)."""
    max_entries: int = 5_000


class WorkbookRefused(InputError):
    """The file is not a workbook that may be opened; ``kind`` says why, ``reason`` says it in English
    (without the path), ``detail`` gives the numbers.

    Kinds: ``missing``, ``empty``, ``too_large``, ``csv`` (text, e.g. a renamed CSV), ``xls`` (old binary
    format or an encrypted workbook), ``ods`` (OpenDocument), ``not_zip``, ``zip_bomb``,
    ``too_many_entries``, ``doctype`` (a part with a DTD), ``not_xlsx`` (a zip without a workbook), ``broken``.
    """

    def __init__(self, path: Path, kind: str, reason: str, **detail: Any):
        self.kind = kind
        self.reason = reason
        self.detail = detail
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True, slots=True)
class _Checked:
    entries: int
    uncompressed: int
    names: frozenset[str] = field(default_factory=frozenset)


def _sniff(head: bytes) -> str:
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    sample = head[:4096]
    if sample.startswith(b"\xef\xbb\xbf"):
        sample = sample[3:]
    try:
        sample.decode("utf-8")
        text = True
    except UnicodeDecodeError as exc:
        text = exc.start > len(sample) - 4  # a multi-byte character cut at the end of the sample
        if not text:
            try:
                sample.decode("cp1252")
                text = b"\x00" not in sample
            except UnicodeDecodeError:
                text = False
    return "csv" if text else "not_zip"


def _has_doctype(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A DTD comes before the root element, so the first bytes of an XML part tell."""
    if not info.filename.endswith((".xml", ".rels")):
        return False
    with zf.open(info) as fh:
        return b"<!DOCTYPE" in fh.read(4096).upper()


def check_xlsx(path: str | Path, limits: Limits = Limits()) -> _Checked:
    """Refuse anything that is not a plausible, bounded XLSX workbook.

    Raises
    ------
    WorkbookRefused
        With the reason as ``kind`` (see the class).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise WorkbookRefused(path, "missing", "no such file") from None
    if size == 0:
        raise WorkbookRefused(path, "empty", "empty file")
    if size > limits.max_file_bytes:
        raise WorkbookRefused(path, "too_large", f"{size:,} bytes, more than the {limits.max_file_bytes:,} a "
                              "workbook may have", size=size, limit=limits.max_file_bytes)
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head.startswith(b"PK\x03\x04"):
        kind = _sniff(head)
        raise WorkbookRefused(path, kind, "not an XLSX workbook but a text file (a renamed CSV?)" if kind == "csv"
                              else f"not an XLSX workbook ({kind})")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = frozenset(i.filename for i in infos)
            if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:200]:
                raise WorkbookRefused(path, "ods", "an OpenDocument file, not XLSX")
            if len(infos) > limits.max_entries:
                raise WorkbookRefused(path, "too_many_entries", f"{len(infos):,} zip entries, more than the "
                                      f"{limits.max_entries:,} a workbook may have",
                                      entries=len(infos), limit=limits.max_entries)
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > limits.ratio_above and ratio > limits.max_ratio:
                    raise WorkbookRefused(
                        path, "zip_bomb", f"part {info.filename} unpacks {ratio:.0f} : 1 to "
                        f"{info.file_size // 1024**2} MiB: not a spreadsheet anyone filled in (a zip bomb?)",
                        entry=info.filename, ratio=ratio, limit=limits.max_ratio)
            if total > limits.max_uncompressed_bytes:
                raise WorkbookRefused(path, "zip_bomb", f"unpacks to {total:,} bytes, more than the "
                                      f"{limits.max_uncompressed_bytes:,} a workbook may hold (a zip bomb?)",
                                      size=total, limit=limits.max_uncompressed_bytes)
            for info in infos:
                if _has_doctype(zf, info):
                    raise WorkbookRefused(path, "doctype", f"part {info.filename}: a document type declaration "
                                          "(DOCTYPE) is not accepted in a workbook", entry=info.filename)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        raise WorkbookRefused(path, "broken", f"not a readable XLSX workbook ({exc})") from None
    if "xl/workbook.xml" not in names:
        raise WorkbookRefused(path, "not_xlsx", "a zip file without a workbook (xl/workbook.xml)")
    return _Checked(len(infos), total, names)


def open_xlsx(path: str | Path, limits: Limits = Limits(), *, data_only: bool = False) -> Any:
    """Check ``path`` and open it read-only with openpyxl (rows are streamed; close it when done).

    With ``data_only=False`` (the default) a formula cell reads as its formula text, data type ``"f"``,
    so callers can refuse formulas instead of trusting a cached value.
    """
    from openpyxl import load_workbook

    check_xlsx(path, limits)
    try:
        return load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many types for a damaged file
        raise WorkbookRefused(Path(path), "broken", f"not a readable XLSX workbook ({type(exc).__name__})") from None


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def sheet_parts(path: str | Path) -> dict[str, str]:
    """Sheet name → zip part of its XML (``xl/worksheets/sheet1.xml``), in workbook order."""
    with zipfile.ZipFile(path) as zf:
        wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    out: dict[str, str] = {}
    for s in wb.iterfind("m:sheets/m:sheet", _NS):
        t = target.get(s.get(f"{{{_NS['r']}}}id"), "")
        part = t.lstrip("/") if t.startswith("/") else str(PurePosixPath("xl") / t)
        out[s.get("name", "")] = part
    return out


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def merged_ranges(wb: Any, sheets: list[str] | None = None) -> dict[str, list[str]]:
    """Merged cell ranges per sheet (``{"Systeme": ["A5:C5"]}``) of a workbook opened by :func:`open_xlsx`,
    read by streaming each sheet's XML from the archive the workbook already holds open (the
    file is not opened again); the sizes streamed are bounded by :func:`check_xlsx`'s limits.
    """
    out: dict[str, list[str]] = {}
    for name in wb.sheetnames:
        if sheets is not None and name not in sheets:
            continue
        found: list[str] = []
        tail = b""
        # a read-only sheet streams its XML from the workbook's open archive (openpyxl's own accessor,
        # the one its row iterator uses)
        with wb[name]._get_source() as fh:
            while chunk := fh.read(1 << 20):
                buf = tail + chunk
                found.extend(m.decode() for m in _MERGE.findall(buf))
                # keep an overlap so a tag cut between two chunks is still found (and not twice)
                cut = buf.rfind(b"<")
                tail = buf[cut:] if cut >= 0 and b">" not in buf[cut:] else b""
        if found:
            out[name] = list(dict.fromkeys(found))
    return out
