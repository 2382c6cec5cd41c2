"""Claims of 06-Timings-vs-Worker-Count, read from its executed outputs.

Timing claims are loose (a shared 2-core machine is noisy) and use each combination's fastest run against
the fastest sequential run ("best"), since interference only slows runs down: with at least 2 cores, threads
and processes at 2 workers are more than 1.25x faster than sequential; virtual threads beyond the core
count do not clearly beat as many virtual threads as cores, and only `cores` of them ever run a job.
"""

from __future__ import annotations

import re

import pytest

from claimlines import exported, tagged_lines
from leftovers import processes_left, threads_left
from nbcheck import cell_by_tag, has_mime, text_output, timing_claim

NB = "06-Timings-vs-Worker-Count"


@pytest.fixture(scope="module")
def nb(executed_notebook):
    return executed_notebook(NB)


def cores(nb) -> int:
    return int(tagged_lines(nb, "virtual-beyond", "virtual-rows ")[0]["cores"])


def speedups(nb) -> dict[tuple[str, int], float]:
    return {(s["model"], int(s["workers"])): float(s["best"]) for s in tagged_lines(nb, "speedups", "speedup ")}


def test_sweep_finished_and_showed_live_progress(nb):
    cell = cell_by_tag(nb, "sweep")
    assert re.search(r"sweep done: \d+ runs in [\d.]+ s", text_output(cell))
    assert has_mime(cell_by_tag(nb, "medians"), "text/html")


def test_every_pool_answered_all_numbers_in_the_timelines(nb):
    for t in tagged_lines(nb, "tails", "tail "):
        assert t["results"] == "20", t


def test_threads_and_processes_speed_up_on_two_cores(nb):
    s = speedups(nb)
    if cores(nb) < 2 or ("threads", 2) not in s:
        pytest.fail("the default run needs 2 cores and 2 workers to check this claim", pytrace=False)
    timing_claim(s[("threads", 2)] > 1.25, f"threads at 2 workers: {s}")
    timing_claim(s[("processes", 2)] > 1.25, f"processes at 2 workers: {s}")


def test_virtual_threads_beyond_the_core_count_do_not_help(nb):
    [v] = tagged_lines(nb, "virtual-beyond", "virtual cores=")
    timing_claim(float(v["best-at-beyond"]) < float(v["best-at-cores"]) * 1.25, f"virtual threads: {v}")
    [rows] = tagged_lines(nb, "virtual-beyond", "virtual-rows ")
    assert int(rows["workers"]) > int(rows["cores"])
    assert int(rows["busy"]) <= int(rows["cores"]), "more virtual threads than carriers checked numbers"


def test_fifo_model_shows_the_tail_and_its_cure(nb):
    table = text_output(cell_by_tag(nb, "model"))
    model = {int(w): float(x) for w, x in re.findall(r"\| (\d+) \| ([\d.]+)×", table)}
    bound = float(re.search(r"Bound for any schedule on \d+ cores: ([\d.]+)×", table).group(1))
    c = cores(nb)
    assert model[1] == pytest.approx(1.0)
    assert model[c] < bound - 0.05, "with as many workers as cores FIFO order should cost speedup"
    assert model[20] > model[c], "more workers than cores should win speedup back"


def test_cpython_threads_with_the_gil_do_not_scale(nb):
    found = text_output(cell_by_tag(nb, "pythons"))
    if "no CPython found" in found:
        pytest.fail("no CPython on this machine: the comparison did not run", pytrace=False)
    gil = [c for c in tagged_lines(nb, "cpython", "cpython ") if "GIL" in c["version"] and c["model"] == "threads"]
    assert gil, "no CPython with the GIL was measured"
    for c in gil:
        # Two workers could reach 2x; with the GIL CPU-bound threads stay near 1x. Loose for a noisy machine.
        timing_claim(float(c["speedup"]) < 1.5, f"CPython with the GIL: {c}")


def test_charts_are_shown_and_exported(nb):
    for tag in ("chart-time", "chart-speedup", "gantt-few", "gantt-many", "gantt-virtual", "chart-cpython"):
        assert has_mime(cell_by_tag(nb, tag), "image/png"), tag
    for name in ("06-timings", "06-speedup", "06-java-vs-cpython"):
        assert exported(name), name


def test_nothing_is_left_running(nb):
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []
