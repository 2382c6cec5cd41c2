"""What the kernel's %threads and %procs listings say is still running at the end of a notebook.

    from leftovers import threads_left, processes_left
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []

The kernel runs each cell on a thread named `cell-N` that sends the cell's reply and then ends. When the
next cell asks for %threads within that moment, the listing may still show `cell-N` from cell N itself,
although it ran no user code any more. Such a row is the kernel's own runner of a finished cell, not
something the notebook started, so it is not counted as left running.
"""

from __future__ import annotations

import re


def _rows(listing: str) -> list[list[str]]:
    lines = [l for l in listing.splitlines() if l.strip()]
    if len(lines) < 2:
        return []
    return [re.split(r"\s{2,}", l.strip()) for l in lines[2:]]


def threads_left(listing: str) -> list[str]:
    """Names of the live threads in a %threads listing, except the runner of a finished cell."""
    if "no threads started by cells are alive" in listing:
        return []
    left = []
    for row in _rows(listing):
        name, cell = row[0], row[-1]
        if name == f"cell-{cell}":
            continue
        left.append(name)
    assert left or _rows(listing), f"cannot read the %threads listing:\n{listing}"
    return left


def processes_left(listing: str) -> list[str]:
    """Pids of the live child processes in a %procs listing."""
    if "no child processes" in listing:
        return []
    return [row[0] for row in _rows(listing)]
