"""Claims of 07-Java-in-the-Multicore-World, read from its executed outputs.

Exact: the parallel stream finds the 9 primes on the caller and the common pool's workers; every HTTP
request is answered; the task queue drains and its consumers stop; the comparison table has a row per model
whose isolation and worker-death cells are what the experiments showed. Measured but physically bounded: a
fixed pool of N threads cannot serve R requests of t ms faster than R*t/N, and a virtual thread per request
beats it clearly. Timing claims: Amdahl's law predicts the measured speedup within a stated bound; the task
queue's producer answers each request faster than one task takes.
"""

from __future__ import annotations

import re

import pytest

from claimlines import exported, tagged_lines
from leftovers import processes_left, threads_left
from nbcheck import Measured, cell_by_tag, has_mime, machine_before, machine_during, text_output, timing_claim

NB = "07-Java-in-the-Multicore-World"


@pytest.fixture(scope="module")
def nb(executed_notebook):
    return executed_notebook(NB)


def test_parallel_stream_finds_the_nine_primes_on_the_caller_and_the_pool(nb):
    [p] = tagged_lines(nb, "parallel-stream", "parallel-stream ")
    [m] = tagged_lines(nb, "machine", "cores=")
    assert p["primes"] == "9"
    assert p["caller_took_part"] == "true", "the calling thread takes part"
    if int(m["cores"]) >= 2:
        assert int(p["pool_workers"]) >= 1, "and so do the common pool's workers"
        assert int(p["threads"]) == 1 + int(p["pool_workers"])


def test_amdahl_numbers_are_consistent(nb):
    [a] = tagged_lines(nb, "amdahl", "amdahl ")
    f, cores = float(a["f"]), int(a["cores"])
    assert 0 < f < 1
    assert float(a["predicted"]) == pytest.approx(1 / (f + (1 - f) / cores), abs=0.01)
    assert 1 <= float(a["predicted"]) <= cores
    assert float(a["limit"]) == pytest.approx(1 / f, abs=0.1)
    assert has_mime(cell_by_tag(nb, "chart-amdahl"), "image/png")


def pool_threads(a: dict[str, str], key: str) -> list[int]:
    return [int(n) for n in a[key].strip("[]").split(",")]


def test_amdahl_counts_the_pool_threads_of_every_run(nb):
    [a] = tagged_lines(nb, "amdahl", "amdahl ")
    repeats = int(re.search(r"int amdahlRepeats = (\d+);", cell_by_tag(nb, "parameters").source).group(1))
    cores = int(a["cores"])
    ones, alls = pool_threads(a, "pool_threads_1"), pool_threads(a, "pool_threads_N")
    if cores >= 2:
        assert ones == [1] * repeats, "a pool of one thread checks every number on that thread"
        assert len(alls) == repeats and all(1 <= n <= cores for n in alls), alls


def test_amdahl_watches_the_machine_while_each_timed_part_runs(nb):
    d = machine_during(nb, "amdahl")
    repeats = int(re.search(r"int amdahlRepeats = (\d+);", cell_by_tag(nb, "parameters").source).group(1))
    assert int(d["spans"]) == 1 + 2 * repeats, "the serial part and every run on 1 and on all cores"
    cores = int(d["cores"])
    assert 0 <= float(d["others_cores"]) <= cores
    assert float(d["others_cores"]) + float(d["free_cores"]) == pytest.approx(cores, abs=0.011)
    assert float(d["window_s"]) > 0


def test_amdahls_law_predicts_the_measured_speedup(measurements):
    def measure(run):
        [a] = tagged_lines(run, "amdahl", "amdahl ")
        predicted, measured = float(a["predicted"]), float(a["measured"])
        # The law is a ceiling (10 % above it is noise); unequal jobs and the machine may cost up to a quarter.
        # A core that another program took while the parts ran makes the measurement busy (re-measured); the pool
        # threads that took part in each run on all cores tell a pool that did not run in parallel.
        return Measured(0.75 * predicted <= measured <= 1.10 * predicted,
                        f"predicted {predicted}, measured {measured}, pool threads that checked numbers in each run "
                        f"on {a['cores']} threads: {a['pool_threads_N']}", machine_before(run, "amdahl"),
                        during=machine_during(run, "amdahl"))

    timing_claim(measurements(NB), measure)


def test_the_amdahl_verdict_is_this_runs(nb):
    [a] = tagged_lines(nb, "amdahl", "amdahl ")
    verdict = text_output(cell_by_tag(nb, "amdahl-verdict"))
    assert f"predicted **{a['predicted']}×**" in verdict and f"reached **{a['measured']}×**" in verdict
    assert f"sped up {a['parallel_part_speedup']}×" in verdict


def test_every_request_is_answered_and_virtual_threads_beat_the_fixed_pool(nb):
    servers = {s["server"]: s for s in tagged_lines(nb, "servers", "server=")}
    [bound] = tagged_lines(nb, "servers", "server-bound ")
    fixed = next(v for k, v in servers.items() if k.startswith("fixed"))
    virtual = next(v for k, v in servers.items() if k.startswith("virtual"))
    for s in (fixed, virtual):
        assert s["ok"] == s["requests"], s
    assert float(fixed["seconds"]) >= float(bound["fixed-min"]) * 0.99
    assert float(virtual["seconds"]) < float(fixed["seconds"]) / 2


def test_task_queue_drains_and_stops_its_consumers(nb):
    [q] = tagged_lines(nb, "queue", "queue ")
    assert q["finished"] == "true"
    assert q["consumers-alive"] == "0"


def test_no_request_waits_as_long_as_one_task_takes(measurements):
    def measure(run):
        [q] = tagged_lines(run, "queue", "queue ")
        # The producer and the two consumers it wakes all want a core: the measurement needs every core.
        return Measured(float(q["slowest"]) < float(q["task_s"]),
                        f"the slowest of {q['requests']} requests was answered in {q['slowest']} s, "
                        f"one task takes {q['task_s']} s", machine_before(run, "queue"))

    timing_claim(measurements(NB), measure)


def rows(nb) -> dict[str, dict[str, str]]:
    return {r["model"]: r for r in tagged_lines(nb, "model-table", "model=")}


def test_the_table_has_every_model_and_what_their_workers_share(nb):
    r = rows(nb)
    assert list(r) == ["sequential", "threads", "virtual", "executor", "processes"]
    for model in ("threads", "virtual", "executor"):
        assert r[model]["isolation"].startswith("none:_every_worker_ran_in_the_caller's_process"), r[model]
    assert r["processes"]["isolation"].startswith("each_worker_is_a_process_of_its_own")


def test_a_worker_calling_exit_ends_a_threaded_program_but_only_itself_in_a_process_pool(nb):
    r = rows(nb)
    for model in ("sequential", "threads", "virtual", "executor"):
        assert r[model]["death"].startswith("the_whole_program_ended_at_once,_exit_code_3"), r[model]
    assert r["processes"]["death"].startswith("only_that_worker_ended")
    assert r["processes"]["death"].endswith("20_of_20_answered,_exit_code_0")


def test_the_table_measures_the_costs_each_model_is_known_for(nb):
    r = rows(nb)
    assert float(r["virtual"]["io_in_flight"]) > 4 * float(r["threads"]["io_in_flight"]), "a virtual thread per wait"
    assert float(r["processes"]["memory_kb"]) > 10 * float(r["threads"]["memory_kb"])
    assert float(r["threads"]["memory_kb"]) > float(r["virtual"]["memory_kb"])
    assert float(r["processes"]["start_us"]) > 10 * float(r["threads"]["start_us"])
    assert float(r["sequential"]["cpu_speedup"]) == 1.0
    table = text_output(cell_by_tag(nb, "model-table"))
    for model, row in r.items():
        assert re.search(rf"\| \*\*{model}\*\* \(.*\) \| .* \| {row['cpu_speedup']}× \| {row['io_in_flight']} \|",
                         table), model


def test_the_summary_is_this_runs(nb):
    [a] = tagged_lines(nb, "amdahl", "amdahl ")
    summary = text_output(cell_by_tag(nb, "summary"))
    assert f"predicted {a['predicted']}× and the program reached {a['measured']}×" in summary


def test_charts_are_exported(nb):
    assert has_mime(cell_by_tag(nb, "chart-servers"), "image/png")
    assert exported("07-amdahl") and exported("07-servers")


def test_nothing_is_left_running(nb):
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []
