"""The side-by-side table the plan benchmarks print: one row per case, a case that failed as its error."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["fmt", "print_rows"]


def fmt(v) -> str:
    """A cell: small floats with four places, large ones with thousands separators, the rest as text."""
    if isinstance(v, float):
        return f"{v:.4f}" if v < 1 else f"{v:,.0f}" if v >= 1000 else f"{v:.2f}"
    return str(v)


def print_rows(rows: Sequence[dict], cols: Sequence[str], width: int) -> list[dict]:
    """Print the header and each row (``cols`` of it, right-aligned in ``width``); return the rows without error."""
    print(" | ".join(f"{c:>{width}}" for c in cols))
    for r in rows:
        if "error" in r:
            print(f"{r['case']:>{width}} | error: {r['error']}")
            continue
        print(" | ".join(f"{fmt(r.get(c)):>{width}}" for c in cols))
    return [r for r in rows if "error" not in r]
