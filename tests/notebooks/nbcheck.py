"""Reading executed notebooks in claim checks.

    from nbcheck import cell_by_tag, text_output, has_mime
    cell = cell_by_tag(nb, "race")
    assert "lost" in text_output(cell)
"""

from __future__ import annotations

import os

import pytest


def cells_by_tag(nb, tag: str) -> list:
    """Every cell carrying the tag, in notebook order."""
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def cell_by_tag(nb, tag: str):
    """The one cell carrying the tag; fails the test when there is none or more than one."""
    found = cells_by_tag(nb, tag)
    if len(found) != 1:
        pytest.fail(f"expected exactly one cell tagged {tag!r}, found {len(found)}", pytrace=False)
    return found[0]


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def text_output(cell) -> str:
    """The cell's stream text and the text/plain of its results and displays, joined in order."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(_text(out.get("text")))
        elif out.get("output_type") in ("execute_result", "display_data"):
            parts.append(_text(out.get("data", {}).get("text/plain")))
    return "".join(p if p.endswith("\n") else p + "\n" for p in parts if p)


def has_mime(cell, mime: str) -> bool:
    """Whether any result or display of the cell carries the MIME type (e.g. image/png, text/html)."""
    return any(mime in out.get("data", {}) for out in cell.get("outputs", [])
               if out.get("output_type") in ("execute_result", "display_data"))


def mime_data(cell, mime: str) -> list[str]:
    """The cell's payloads of that MIME type, in order."""
    return [_text(out["data"][mime]) for out in cell.get("outputs", [])
            if out.get("output_type") in ("execute_result", "display_data") and mime in out.get("data", {})]


def error_outputs(cell) -> list:
    return [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]


def timing_claim(holds: bool, detail: str, load: float | str | None = None) -> None:
    """Checks a timing claim read from an executed notebook.

    Timings that compare one core with two need the cores to be free. When the claim does not hold
    and the machine was busier than it has cores (1-minute load average above the core count, as the
    notebook recorded it or as it is now), the check is reported as skipped, naming the load: the
    measurement says nothing then. On a machine with free cores a claim that does not hold fails.
    """
    if holds:
        return
    measured = float(load) if load is not None else os.getloadavg()[0]
    cores = os.cpu_count() or 1
    if measured > cores:
        pytest.skip(f"timing not measurable: load average {measured:.1f} above {cores} cores ({detail})")
    pytest.fail(f"{detail} (load average {measured:.1f}, {cores} cores)", pytrace=False)
