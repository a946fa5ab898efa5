"""A problem in a returned questionnaire, with its place: workbook, sheet, A1 cell, the row's name.

>>> f = Fund("Fragebogen-heusweiler.xlsx", "Systeme", "J12", "Einwohnermeldewesen Heusweiler",
...          "„sehr  hoch“ ist kein Schutzbedarf — erlaubt: normal, hoch, sehr hoch",
...          '"sehr  hoch" is not a Schutzbedarf — allowed: normal, hoch, sehr hoch')
>>> print(f.text())
Fragebogen-heusweiler.xlsx, Blatt „Systeme“, Zelle J12 (Einwohnermeldewesen Heusweiler): „sehr  hoch“ ist kein Schutzbedarf — erlaubt: normal, hoch, sehr hoch
>>> print(f.text("en"))
Fragebogen-heusweiler.xlsx, sheet "Systeme", cell J12 (Einwohnermeldewesen Heusweiler): "sehr  hoch" is not a Schutzbedarf — allowed: normal, hoch, sehr hoch
"""

from __future__ import annotations

from dataclasses import dataclass

from common.errors import InputError

__all__ = ["ErhebungError", "Fund"]


@dataclass(frozen=True, slots=True, order=True)
class Fund:
    """One problem found in a returned workbook (German and English message, without the place)."""

    workbook: str
    sheet: str | None
    cell: str | None
    name: str | None
    """The row's system (server, site) name, when known."""
    de: str
    en: str

    def text(self, lang: str = "de") -> str:
        parts = [self.workbook]
        if self.sheet:
            parts.append(f"Blatt „{self.sheet}“" if lang == "de" else f'sheet "{self.sheet}"')
        if self.cell:
            parts.append(f"Zelle {self.cell}" if lang == "de" else f"cell {self.cell}")
        place = ", ".join(parts) + (f" ({self.name})" if self.name else "")
        return f"{place}: {self.de if lang == 'de' else self.en}"

    def as_dict(self, lang: str = "de") -> dict[str, str | None]:
        return {"workbook": self.workbook, "sheet": self.sheet, "cell": self.cell, "name": self.name,
                "message": self.de if lang == "de" else self.en, "text": self.text(lang)}


def _sort_key(f: Fund) -> tuple:
    import re

    m = re.match(r"([A-Z]+)([0-9]+)", f.cell or "")
    return (f.workbook, f.sheet or "", int(m[2]) if m else 0, len(m[1]) if m else 0, m[1] if m else "", f.de)


class ErhebungError(InputError):
    """Returned questionnaires that cannot be merged; ``funde`` lists every problem of every workbook."""

    def __init__(self, funde: list[Fund]):
        self.funde = sorted(set(funde), key=_sort_key)
        super().__init__("\n".join(f.text() for f in self.funde))

    def text(self, lang: str = "de") -> str:
        n = len(self.funde)
        head = (f"{n} Fehler in den Fragebögen — nichts wurde geschrieben:" if lang == "de"
                else f"{n} error{'s' if n != 1 else ''} in the questionnaires — nothing was written:")
        return head + "\n" + "\n".join(f"  {f.text(lang)}" for f in self.funde)
