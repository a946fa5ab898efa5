"""The one place that reads YAML: strict decoding, duplicate keys, and positions for errors.

A :class:`YamlFile` parses with libyaml's C parser (fast path). Only when something is
wrong does it compose the node tree to find the line and column of a key path, so a
valid landscape pays nothing for error positions.

Other packages (the planner's scenario loader) use this module too:

>>> doc = YamlFile.from_text("a.yaml", "x:\\n  y: 1\\n")
>>> doc.data
{'x': {'y': 1}}
>>> doc.position(("x", "y"))
(2, 6)
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Issue, IssuesError

__all__ = ["YamlFile", "decode_text", "load_model", "validation_issues", "validation_message"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Loader):  # type: ignore[misc, valid-type]
    """Safe loader that rejects duplicate mapping keys (PyYAML silently keeps the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, f"unhashable key {key!r}", key_node.start_mark
            ) from None
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """A date like 2028-02-30 stays a string, so validation reports it with its position."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def decode_text(name: str, raw: bytes) -> str:
    """Bytes → text, or an :class:`IssuesError` saying exactly what is wrong."""
    if not raw.strip():
        raise IssuesError([Issue(name, None, None, (), "file is empty")])
    for bom, enc in ((codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
                     (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32")):
        if raw.startswith(bom):
            raise IssuesError([Issue(name, 1, 1, (), f"file is {enc}-encoded; save it as UTF-8")])
    if b"\x00" in raw[:8192]:
        raise IssuesError([Issue(name, None, None, (), "binary file (contains NUL bytes), not YAML text")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise IssuesError(
            [Issue(name, line, col, (), f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
        ) from None
    return text.removeprefix("\ufeff")


class YamlFile:
    """A parsed YAML file with lazy node positions."""

    __slots__ = ("_node", "data", "name", "text")

    def __init__(self, name: str, text: str, data: Any):
        self.name = name
        self.text = text
        self.data = data
        self._node: yaml.Node | None = None

    @classmethod
    def from_text(cls, name: str, text: str) -> YamlFile:
        try:
            data = yaml.load(text, Loader=_StrictLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            if exc.context and exc.problem and "duplicate" not in exc.problem:
                problem = f"{exc.problem} ({exc.context})"
            line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
            raise IssuesError([Issue(name, line, col, (), f"invalid YAML: {problem}")]) from None
        except yaml.YAMLError as exc:
            raise IssuesError([Issue(name, None, None, (), f"invalid YAML: {exc}")]) from None
        if data is None:
            raise IssuesError([Issue(name, None, None, (), "file is empty (no YAML document)")])
        return cls(name, text, data)

    @classmethod
    def read(cls, path: Path, name: str | None = None) -> YamlFile:
        name = name or str(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise IssuesError([Issue(name, None, None, (), f"cannot read: {exc.strerror}")]) from None
        return cls.from_text(name, decode_text(name, raw))

    def node(self) -> yaml.Node:
        """The document's node tree (composed once, on first use), for positions the data does not keep.

        >>> YamlFile.from_text("t.yml", "- name: a\\n- name: b\\n").node().value[1].start_mark.line
        1
        """
        if self._node is None:
            self._node = yaml.compose(self.text, Loader=_Loader)
        return self._node

    def position(self, loc: tuple[str | int, ...]) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the deepest node on ``loc`` that exists."""
        node = self.node()
        for part in loc:
            nxt = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == str(part):
                        nxt = v
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                nxt = node.value[part]
            if nxt is None:
                break
            node = nxt
        if node is None:
            return None, None
        return node.start_mark.line + 1, node.start_mark.column + 1

    def key_position(self, loc: tuple[str | int, ...]) -> tuple[int | None, int | None]:
        """Position of the *key* named by the last element of ``loc`` (for unknown keys)."""
        line, col = self.position(loc[:-1])
        if self._node is None or not loc:
            return line, col
        node = self._node
        for part in loc[:-1]:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == str(part)), node)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
        if isinstance(node, yaml.MappingNode):
            for k, _ in node.value:
                if k.value == str(loc[-1]):
                    return k.start_mark.line + 1, k.start_mark.column + 1
        return line, col


def validation_message(err: dict[str, Any]) -> str:
    """A short, plain message for a pydantic error."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "required key missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sym = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()), "?")
        return f"must be {sym} {bound}"
    if kind == "enum":
        return f"must be one of: {ctx.get('expected', '')}".replace("'", "")
    if kind == "literal_error":
        return f"must be one of: {ctx.get('expected', '')}".replace("'", "")
    if kind == "string_pattern_mismatch":
        return f"invalid format (must match {ctx.get('pattern')})"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind in ("int_type", "int_parsing", "int_from_float", "float_type", "float_parsing", "decimal_type",
                "decimal_parsing"):
        what = "a whole number" if kind.startswith("int") else "a number"
        got = err.get("input")
        shown = ("true" if got else "false") if isinstance(got, bool) else repr(got if not isinstance(got, str)
                                                                             else got[:40])
        return f"must be {what}, not {shown}"
    if kind in ("string_type",):
        return f"must be a string (quote it), got {type(err.get('input')).__name__}"
    msg = err["msg"]
    return msg[0].lower() + msg[1:] if msg else kind


def validation_issues(
    exc: ValidationError, doc: YamlFile, prefix: tuple[str | int, ...] = ()
) -> list[Issue]:
    """Turn a pydantic ``ValidationError`` on ``doc.data`` into positioned issues."""
    issues = []
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        if err["type"] == "extra_forbidden":
            line, col = doc.key_position(loc)
        else:
            line, col = doc.position(loc)
        issues.append(Issue(doc.name, line, col, loc, validation_message(err)))
    return issues


def load_model[M: BaseModel](model: type[M], path: Path, name: str | None = None) -> M:
    """Read one YAML file into ``model``; every problem raised as one :class:`IssuesError`."""
    doc = YamlFile.read(path, name)
    if not isinstance(doc.data, dict):
        raise IssuesError([Issue(doc.name, 1, 1, (), f"expected a mapping at the top, got {type(doc.data).__name__}")])
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise IssuesError(validation_issues(exc, doc)) from None
