"""Claims of 07-Java-in-the-Multicore-World, read from its executed outputs.

Exact: the parallel stream finds the 9 primes; every HTTP request is answered; the task queue drains and
its consumers stop. Measured but physically bounded: a fixed pool of N threads cannot serve R requests of
t ms faster than R*t/N, and a virtual thread per request beats it clearly. Amdahl's numbers are consistent.
"""

from __future__ import annotations

import pytest

from claimlines import exported, tagged_lines
from leftovers import processes_left, threads_left
from nbcheck import cell_by_tag, has_mime, text_output

NB = "07-Java-in-the-Multicore-World"


@pytest.fixture(scope="module")
def nb(executed_notebook):
    return executed_notebook(NB)


def test_parallel_stream_finds_the_nine_primes(nb):
    [p] = tagged_lines(nb, "parallel-stream", "parallel-stream ")
    assert p["primes"] == "9"
    assert int(p["threads"]) >= 1


def test_amdahl_numbers_are_consistent(nb):
    [a] = tagged_lines(nb, "amdahl", "amdahl ")
    f, cores = float(a["f"]), int(a["cores"])
    assert 0 < f < 1
    assert float(a["predicted"]) == pytest.approx(1 / (f + (1 - f) / cores), abs=0.01)
    assert 1 <= float(a["predicted"]) <= cores
    assert float(a["limit"]) == pytest.approx(1 / f, abs=0.1)
    assert has_mime(cell_by_tag(nb, "chart-amdahl"), "image/png")


def test_every_request_is_answered_and_virtual_threads_beat_the_fixed_pool(nb):
    servers = {s["server"]: s for s in tagged_lines(nb, "servers", "server=")}
    [bound] = tagged_lines(nb, "servers", "server-bound ")
    fixed = next(v for k, v in servers.items() if k.startswith("fixed"))
    virtual = next(v for k, v in servers.items() if k.startswith("virtual"))
    for s in (fixed, virtual):
        assert s["ok"] == s["requests"], s
    assert float(fixed["seconds"]) >= float(bound["fixed-min"]) * 0.99
    assert float(virtual["seconds"]) < float(fixed["seconds"]) / 2


def test_task_queue_answers_before_the_work_is_done_and_stops_its_consumers(nb):
    [q] = tagged_lines(nb, "queue", "queue ")
    assert q["finished"] == "true"
    assert q["consumers-alive"] == "0"
    assert float(q["answered"]) < float(q["drained"])


def test_charts_are_exported(nb):
    assert has_mime(cell_by_tag(nb, "chart-servers"), "image/png")
    assert exported("07-amdahl") and exported("07-servers")


def test_nothing_is_left_running(nb):
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []
