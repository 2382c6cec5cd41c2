"""Progress in an executed notebook: every cell that counts its work with `Progress` (or a sweep's
`showProgress()`) printed, in a headless run, one short line per counted loop when the work ended —
`NAME: done/total in S s`, done equal to total — and nothing else of it: no bar, no line rewritten
with carriage returns. (A loop in a button's listener runs only when the button is clicked in a page.)
"""

from __future__ import annotations

import re

import nbformat
import pytest

from nbcheck import text_output

import nbexec

NOTEBOOKS = nbexec.notebook_paths()
LINE = re.compile(r"^([\w ]+): (\d+)/(\d+) in \d+\.\d s$")
USES = ("Progress.start(", ".showProgress()")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def counting_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and any(u in c.source for u in USES)]


def test_the_long_loops_of_the_notebooks_count_their_work():
    # The loops measured at more than 2 s in a headless run of 00-08 on the 2-core machine.
    uses = {p.stem[:2]: sum(c.source.count(u) for c in counting_cells(nbformat.read(p, as_version=4)) for u in USES)
            for p in NOTEBOOKS}
    assert all(uses[nb] >= n for nb, n in {"01": 1, "02": 1, "05": 2, "06": 4, "07": 2, "08": 1}.items()), uses


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_a_headless_run_prints_one_line_per_counted_loop(path, notebook_run):
    nb = notebook_run(path.stem).passes[0]
    for cell in [c for c in counting_cells(nb) if "onClick(" not in c.source]:
        streams = text_output(cell)
        assert "\r" not in streams, cell.source
        assert not [o for o in cell.get("outputs", []) if WIDGET_VIEW in o.get("data", {})], cell.source
        done = [m.groups() for m in map(LINE.match, streams.splitlines()) if m]
        assert done, f"no progress line from:\n{cell.source}"
        for name, n, total in done:
            assert n == total and len(f"{name}: {n}/{total}") <= 40, (name, n, total)
