"""Load the canonical inventory: a folder of YAML files.

Layout::

    landscape.yaml              # LandscapeMeta: name, Land, synthetic?, seed, sources
    catalogue.yaml              # domains, products, bsi_modules
    organisations/<id>.yaml     # one OrganisationInventory per organisation

Every file is read and validated even after an error, so one run reports every problem.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from common.catalogue import Catalogue
from common.errors import Issue, IssuesError
from common.yamlfile import YamlFile, load_model

from ..errors import InventoryError
from ..models import Landscape, LandscapeMeta, OrganisationInventory, ReferenceIssue, reference_errors

__all__ = ["CATALOGUE_FILE", "META_FILE", "ORG_DIR", "load_folder", "org_files"]

META_FILE = "landscape.yaml"
CATALOGUE_FILE = "catalogue.yaml"
ORG_DIR = "organisations"
_IGNORED_SUFFIXES = {".md", ".txt"}


def org_files(root: Path) -> tuple[list[Path], list[Issue]]:
    """The organisation files in name order, plus issues for files that do not belong there."""
    issues: list[Issue] = []
    folder = root / ORG_DIR
    if not folder.is_dir():
        return [], [Issue(f"{ORG_DIR}/", None, None, (), "folder missing: every organisation needs a file here")]
    files = []
    for p in sorted(folder.iterdir()):
        if p.name.startswith("."):
            continue
        if p.suffix in (".yaml", ".yml") and p.is_file():
            files.append(p)
        elif p.suffix not in _IGNORED_SUFFIXES:
            issues.append(Issue(f"{ORG_DIR}/{p.name}", None, None, (), "unexpected file (expected <id>.yaml)"))
    if not files and not issues:
        issues.append(Issue(f"{ORG_DIR}/", None, None, (), "no organisation files"))
    return files, issues


def _collect[T](issues: list[Issue], fn: Callable[[], T]) -> T | None:
    try:
        return fn()
    except IssuesError as exc:
        issues.extend(exc.issues)
        return None


def load_folder(root: str | Path, *, progress: Callable[[int], None] | None = None) -> Landscape:
    """Load and validate an inventory folder.

    Parameters
    ----------
    root : path of the folder.
    progress : optional callback, called with 1 after each organisation file.

    Raises
    ------
    InventoryError
        With every issue of every file (parse, types, unknown keys, references).
    """
    root = Path(root)
    if not root.is_dir():
        raise InventoryError([Issue(str(root), None, None, (), "not a folder")])
    issues: list[Issue] = []
    meta = _collect(issues, lambda: load_model(LandscapeMeta, root / META_FILE, META_FILE)) \
        if (root / META_FILE).is_file() else None
    if meta is None and not (root / META_FILE).is_file():
        issues.append(Issue(META_FILE, None, None, (), "file missing"))
    catalogue = _collect(issues, lambda: load_model(Catalogue, root / CATALOGUE_FILE, CATALOGUE_FILE)) \
        if (root / CATALOGUE_FILE).is_file() else None
    if catalogue is None and not (root / CATALOGUE_FILE).is_file():
        issues.append(Issue(CATALOGUE_FILE, None, None, (), "file missing"))

    files, file_issues = org_files(root)
    issues.extend(file_issues)
    orgs: list[OrganisationInventory] = []
    names: list[tuple[str, Path]] = []
    for path in files:
        name = f"{ORG_DIR}/{path.name}"
        inv = _collect(issues, lambda path=path, name=name: _load_org(path, name))
        if inv is not None:
            orgs.append(inv)
            names.append((name, path))
        if progress is not None:
            progress(1)

    if meta is not None and catalogue is not None and not issues:
        # Build without re-validating the parts, then check references once.
        landscape = Landscape.model_construct(meta=meta, catalogue=catalogue, organisations=tuple(orgs))
        refs = reference_errors(landscape)
        if refs:
            issues.extend(_positioned(refs, names, root))
    elif meta is not None and catalogue is not None and orgs:
        # Still report broken references among the files that did load, except dangling ones:
        # their target may sit in a file that failed.
        partial = Landscape.model_construct(meta=meta, catalogue=catalogue, organisations=tuple(orgs))
        issues.extend(_positioned([r for r in reference_errors(partial) if not r.dangling], names, root))
    if issues:
        raise InventoryError(issues)
    return landscape


def _load_org(path: Path, name: str) -> OrganisationInventory:
    inv = load_model(OrganisationInventory, path, name)
    if path.stem != inv.organisation.id:
        line, col = YamlFile.read(path, name).position(("organisation", "id"))
        raise InventoryError([Issue(name, line, col, ("organisation", "id"),
                                    f"id {inv.organisation.id!r} does not match the file name {path.stem!r}")])
    return inv


def _positioned(refs: list[ReferenceIssue], names: list[tuple[str, Path]], root: Path) -> list[Issue]:
    docs: dict[str, YamlFile] = {}
    out = []
    for r in refs:
        name, path = names[r.org_index] if r.org_index is not None else (CATALOGUE_FILE, root / CATALOGUE_FILE)
        if name not in docs:
            docs[name] = YamlFile.read(path, name)
        line, col = docs[name].position(r.loc)
        out.append(Issue(name, line, col, r.loc, r.msg))
    return out
