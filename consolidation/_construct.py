"""Build plan models from values the planner produced and typed itself, without validation.

A Germany-scale plan holds about 1.5 million models (assignments, cost lines, move groups,
flows). Validating each costs 4–6 µs and gives each its own ``fields_set`` (a 2 KB set for
an :class:`~plan.models.Assignment`); ``BaseModel.model_construct`` is no faster
because it walks the fields in Python. :func:`builder` precomputes the field order and
defaults once per call of the planner, shares one ``fields_set`` between models built from
the same keywords and sets the four instance slots the way ``model_construct`` does. The
models stay frozen; the plan is still checked against its schema by the round-trip tests
(``read_plan`` and ``Plan.model_validate_json``).

Only for values of the declared types (``str``, ``int``, ``float``, ``Decimal`` with two
places, ``date``, enum members, nested models): nothing is coerced or checked.

>>> from plan.models import BindingConstraint
>>> make = builder(BindingConstraint)
>>> b = make(kind="earliest", detail="frühestmöglich (2027-Q1)")
>>> b == BindingConstraint(kind="earliest", detail="frühestmöglich (2027-Q1)")
True
>>> b.model_dump_json()
'{"kind":"earliest","detail":"frühestmöglich (2027-Q1)","related":null}'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["builder"]

M = TypeVar("M", bound=BaseModel)

_MISSING = object()
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def builder[M: BaseModel](cls: type[M]) -> Callable[..., M]:
    """``builder(Model)(**values)`` is ``Model(**values)`` without validation.

    Keywords in the declared field order with every field given are fastest: the call's
    own keyword dict becomes the model's ``__dict__``.

    Raises
    ------
    TypeError
        For a model with extra fields or private attributes; when called, for an unknown or a
        missing required field (the checks ``extra="forbid"`` and validation would make).
    """
    if cls.model_config.get("extra") == "allow" or cls.__private_attributes__:
        raise TypeError(f"{cls.__name__}: models with extra fields or private attributes are not supported")
    names = tuple(cls.model_fields)
    defaults = {k: (_MISSING if f.is_required() else f.get_default(call_default_factory=True))
                for k, f in cls.model_fields.items()}
    fields_sets: dict[tuple[str, ...], set[str]] = {}
    new = object.__new__

    def fields_set(given: tuple[str, ...]) -> set[str]:
        unknown = sorted(set(given) - set(names))
        missing = [k for k in names if k not in given and defaults[k] is _MISSING]
        if unknown or missing:
            raise TypeError(f"{cls.__name__}: unknown field(s) {unknown}, missing field(s) {missing}")
        fs = fields_sets[given] = set(given)
        return fs

    def make(**values: Any) -> M:
        given = tuple(values)
        fs = fields_sets.get(given) or fields_set(given)
        if given != names:
            values = {k: values[k] if k in values else defaults[k] for k in names}
        m = new(cls)
        _set_dict(m, values)
        _set_fields_set(m, fs)
        _set_extra(m, None)
        _set_private(m, None)
        return m

    return make
