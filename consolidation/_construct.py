"""Build plan models from values the planner produced and typed itself, without validation.

A Germany-scale plan holds about 1.5 million models (assignments, cost lines, move groups,
flows). Validating each costs ~5 µs and gives each its own ``fields_set`` (a 2 KB set for
an :class:`~consolidation.plan.Assignment`); ``BaseModel.model_construct`` is no faster
because it walks the fields in Python. :class:`Builder` precomputes the field order and
defaults once per call of the planner and shares one ``fields_set`` between models built
from the same keys. The models stay frozen; the plan is still checked against its schema
by the round-trip tests (``read_plan`` / ``Plan.model_validate_json``).

Only for values of the declared types (``str``, ``int``, ``float``, ``Decimal`` with two
places, ``date``, enum members, nested models): nothing is coerced.

>>> from consolidation.plan import BindingConstraint
>>> make = Builder(BindingConstraint)
>>> b = make(kind="earliest", detail="frühestmöglich (2027-Q1)")
>>> b == BindingConstraint(kind="earliest", detail="frühestmöglich (2027-Q1)")
True
>>> b.model_dump_json()
'{"kind":"earliest","detail":"frühestmöglich (2027-Q1)","related":null}'
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

__all__ = ["Builder"]

M = TypeVar("M", bound=BaseModel)

_MISSING = object()


class Builder(Generic[M]):
    """``Builder(Model)(**values)`` is ``Model(**values)`` without validation.

    Raises
    ------
    TypeError
        For an unknown or a missing required field (the checks ``extra="forbid"`` would make).
    """

    __slots__ = ("_cls", "_names", "_defaults", "_fields_sets", "_new", "_set")

    def __init__(self, cls: type[M]):
        if cls.model_config.get("extra") == "allow" or cls.__private_attributes__:
            raise TypeError(f"{cls.__name__}: models with extra fields or private attributes are not supported")
        self._cls = cls
        self._names = tuple(cls.model_fields)
        self._defaults = {k: (_MISSING if f.is_required() else f.get_default(call_default_factory=True))
                          for k, f in cls.model_fields.items()}
        self._fields_sets: dict[tuple[str, ...], set[str]] = {}
        self._new = object.__new__
        self._set = object.__setattr__

    def _fields_set(self, given: tuple[str, ...]) -> set[str]:
        unknown = sorted(set(given) - set(self._names))
        missing = [k for k in self._names if k not in given and self._defaults[k] is _MISSING]
        if unknown or missing:
            raise TypeError(f"{self._cls.__name__}: unknown field(s) {unknown}, missing field(s) {missing}")
        fs = self._fields_sets[given] = set(given)
        return fs

    def __call__(self, **values: Any) -> M:
        given = tuple(values)
        fields_set = self._fields_sets.get(given) or self._fields_set(given)
        if given == self._names:  # every field, in declared order: the call's dict is the model's
            data = values
        else:
            defaults = self._defaults
            data = {k: values[k] if k in values else defaults[k] for k in self._names}
        m = self._new(self._cls)
        self._set(m, "__dict__", data)
        self._set(m, "__pydantic_fields_set__", fields_set)
        self._set(m, "__pydantic_extra__", None)
        self._set(m, "__pydantic_private__", None)
        return m
