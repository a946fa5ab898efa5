"""The one base of our pydantic models: frozen, strict about keys, fields documented.

An unknown key is an error, never a silent loss; a field's attribute docstring becomes its
description in the JSON Schema.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["StrictModel"]


class StrictModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
