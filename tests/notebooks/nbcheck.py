"""Reading executed notebooks in claim checks.

    from nbcheck import cell_by_tag, text_output, has_mime
    cell = cell_by_tag(nb, "race")
    assert "lost" in text_output(cell)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

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


def machine_before(nb, tag: str) -> dict[str, str]:
    """The fields of the first `machine others_cores=... free_cores=... cores=...` line in the cell tagged `tag`:
    how much CPU other programs used just before that cell measured (printed by MachineLoad.sample())."""
    text = text_output(cell_by_tag(nb, tag))
    line = next((l for l in text.splitlines() if l.startswith("machine others_cores=")), None)
    if line is None:
        pytest.fail(f"the cell tagged {tag!r} printed no 'machine others_cores=' line", pytrace=False)
    return dict(re.findall(r"([\w-]+)=(\S+)", line))


def machine_during(nb, tag: str) -> dict[str, str]:
    """The fields of the `machine-during spans=... others_cores=... free_cores=... cores=...` line in the cell tagged
    `tag`: the busiest of the timed parts that MachineLoad watched while that cell measured (MachineLoad.spans())."""
    text = text_output(cell_by_tag(nb, tag))
    line = next((l for l in text.splitlines() if l.startswith("machine-during ")), None)
    if line is None:
        pytest.fail(f"the cell tagged {tag!r} printed no 'machine-during' line", pytrace=False)
    return dict(re.findall(r"([\w-]+)=(\S+)", line))


# How much of the cores a measurement needs that other programs may take before it says nothing: the claims'
# bounds are loose enough for that much, not for a whole core.
TOLERATED_OTHERS = 0.5


@dataclass
class Measured:
    """One measurement of a timing claim: whether it held, what was measured, the machine just before it (the
    fields of MachineLoad's line), how many cores the measurement keeps busy (all of them unless said), and, where
    the cell watched its timed parts, the busiest of them (the fields of the `machine-during` line)."""

    holds: bool
    detail: str
    machine: dict[str, str]
    needs: int | None = None
    during: dict[str, str] | None = None

    @property
    def busy(self) -> bool:
        """Whether the machine was busier than its cores: other programs took more than TOLERATED_OTHERS of the
        cores this measurement needs, just before it or while one of its timed parts ran."""
        cores = int(self.machine["cores"])
        needs = min(cores, self.needs or cores)
        return any(float(m["free_cores"]) < needs - TOLERATED_OTHERS for m in (self.machine, self.during) if m)

    def describe(self) -> str:
        m = self.machine
        text = (f"other programs used {m.get('others_cores')} of {m.get('cores')} cores, "
                f"load average {m.get('load_average')}")
        if self.during:
            d = self.during
            text += (f"; while it ran, up to {d.get('others_cores')} of {d.get('cores')} cores "
                     f"(the busiest of {d.get('spans')} timed parts)")
        return text


ATTEMPTS = 3


def timing_claim(attempt: Callable[[int], object], measure: Callable[[object], Measured]) -> None:
    """Checks a timing claim against up to three measurements of it.

    `attempt(i)` gives the executed notebook of the i-th measurement (the first two are the two passes of the
    session's run, a third is executed when needed); `measure(nb)` reads the claim from it. The claim passes as
    soon as one measurement holds. A measurement that does not hold fails the claim at once when the cores it
    needs were free before it and, where the cell watched them, while its timed parts ran (Measured.busy is
    false): on a machine with free cores a timing claim never skips. Only when all three measurements failed, each
    with other programs taking those cores, the check is skipped, naming each measurement and the machine's state
    (`make test` lists such skips at its end).
    """
    failed: list[str] = []
    for i in range(1, ATTEMPTS + 1):
        m = measure(attempt(i))
        if m.holds:
            return
        if not m.busy:
            pytest.fail(f"{m.detail} (measurement {i} of {ATTEMPTS}, the cores were free: {m.describe()})",
                        pytrace=False)
        failed.append(f"#{i}: {m.detail} ({m.describe()})")
    pytest.skip(f"timing claim not measurable, other programs took the cores before or during each of {ATTEMPTS} "
                "measurements: "
                + "; ".join(failed))
