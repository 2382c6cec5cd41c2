"""Reading executed notebooks in claim checks.

    from nbcheck import cell_by_tag, text_output, has_mime
    cell = cell_by_tag(nb, "race")
    assert "lost" in text_output(cell)
"""

from __future__ import annotations

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
