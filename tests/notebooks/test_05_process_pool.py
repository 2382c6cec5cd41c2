"""Claims of 05-A-Home-Made-Process-Pool, read from its executed outputs.

Correctness is checked exactly (20 results, answers agreeing with the fixture, the killed job retried
or reported). The first procs.py's stopping rule loses exactly the results still unread when the job queue
empties: a collector slower than the workers loses some on every try, and the verdict is this run's. Threads
beat the process pool (a timing claim).
"""

from __future__ import annotations

import pytest

from claimlines import exported, tagged_lines
from leftovers import processes_left, threads_left
from nbcheck import Measured, cell_by_tag, has_mime, machine_before, text_output, timing_claim

NB = "05-A-Home-Made-Process-Pool"


@pytest.fixture(scope="module")
def nb(executed_notebook):
    return executed_notebook(NB)


def test_hand_made_pool_returns_all_20_correct_results(nb):
    out = text_output(cell_by_tag(nb, "handmade"))
    [summary] = tagged_lines(nb, "handmade", "handmade ")
    assert summary["results"] == "20"
    assert summary["problems"] == "[]"
    assert "20 checks in" in out


def racy(nb, collector: str) -> list[dict[str, str]]:
    return [t for t in tagged_lines(nb, "race", "racy collector=") if t["collector"] == collector]


def lost(t: dict[str, str]) -> list[str]:
    return [x for x in t["lost"].strip("[]").split(",") if x]


def test_the_old_rule_loses_exactly_the_results_left_unread(nb):
    for t in racy(nb, "fast") + racy(nb, "slow"):
        if t["stuck"] == "false":
            assert int(t["results"]) + len(lost(t)) == 20, t
            assert int(t["unread"]) == len(lost(t)), f"every lost result was queued, unread: {t}"


def test_a_collector_that_falls_behind_loses_results_every_time(nb):
    [summary] = tagged_lines(nb, "race", "racy tries=")
    slow = racy(nb, "slow")
    assert len(slow) == int(summary["tries"]) >= 1
    assert all(lost(t) for t in slow), slow
    assert int(summary["lossy_slow"]) == len(slow)
    assert int(summary["lossy_fast"]) == sum(1 for t in racy(nb, "fast") if lost(t))


def test_the_race_verdict_is_this_runs(nb):
    [summary] = tagged_lines(nb, "race", "racy tries=")
    verdict = text_output(cell_by_tag(nb, "race-verdict"))
    assert f"keeps up lost results in **{summary['lossy_fast']}** of {summary['tries']}" in verdict
    assert f"lost results in **{summary['lossy_slow']}** of {summary['tries']}" in verdict


def test_the_racy_process_pool_loses_results_with_a_slow_collector(nb):
    [r] = tagged_lines(nb, "race-processes", "racy-processes ")
    assert int(r["results"]) < 20 and r["lost"] != "[]", r


def test_threads_beat_the_process_pool(measurements):
    def measure(nb):
        fastest = {f["pool"]: float(f["seconds"]) for f in tagged_lines(nb, "pools", "fastest pool=")}
        return Measured(fastest["threads"] < fastest["processes"],
                        f"threads {fastest['threads']} s, processes {fastest['processes']} s",
                        machine_before(nb, "pools"))

    timing_claim(measurements(NB), measure)


def test_the_summary_is_this_runs(nb):
    summary = text_output(cell_by_tag(nb, "summary"))
    assert "answered 20 of 20 numbers correctly" in summary
    for f in tagged_lines(nb, "pools", "fastest pool="):
        assert f"{f['pool']} {f['seconds']} s" in summary
    assert "no result went missing" in summary


def test_every_pool_model_returns_all_20_correct_results(nb):
    pools = tagged_lines(nb, "pools", "pool=")
    models = {p["pool"] for p in pools}
    assert {"sequential", "threads", "processes"} <= models
    for p in pools:
        assert p["results"] == "20" and p["problems"] == "0", p


def test_sentinels_identity_and_equality_after_serialisation(nb):
    rows = {r["sentinel"]: r for r in tagged_lines(nb, "sentinels", "sentinel=")}
    assert rows["Pill"]["identity"] == "true", "an enum constant keeps its identity"
    assert rows["Long"] == {"sentinel": "Long", "identity": "false", "equals": "true"}
    assert rows["Stop"]["identity"] == "false" and rows["Stop"]["equals"] == "true"
    assert rows["Marker"]["identity"] == "false" and rows["Marker"]["equals"] == "false"


def test_killed_worker_is_reported_and_nothing_is_lost(nb):
    out = text_output(cell_by_tag(nb, "killed"))
    [k] = tagged_lines(nb, "killed", "killed victim=")
    assert k["retried"] == f"[{k['victim']}]"
    assert k["failed"] == "[]" and k["missing"] == "[]"
    assert k["results"] == "20" and k["problems"] == "0"
    assert "retried: its worker died" in out


def test_job_whose_worker_dies_twice_is_reported_failed(nb):
    [k] = tagged_lines(nb, "killed-twice", "killed-twice victim=")
    assert k["failed"] == f"[{k['victim']}]"
    assert k["missing"] == "[]"
    assert k["results"] == "19"


def test_gantt_of_the_killed_run_is_shown_and_exported(nb):
    assert has_mime(cell_by_tag(nb, "killed-chart"), "image/png")
    assert has_mime(cell_by_tag(nb, "chart-pools"), "image/png")
    assert exported("05-killed-worker") and exported("05-pools")


def test_nothing_is_left_running(nb):
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []
