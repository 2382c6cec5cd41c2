"""Claims of 05-A-Home-Made-Process-Pool, read from its executed outputs.

Correctness is checked exactly (20 results, answers agreeing with the fixture, the killed job retried
or reported); the race is checked only for having lost something at least once over the tries.
"""

from __future__ import annotations

import pytest

from claimlines import exported, tagged_lines
from leftovers import processes_left, threads_left
from nbcheck import cell_by_tag, has_mime, text_output

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


def test_racy_pool_loses_results(nb):
    tries = tagged_lines(nb, "race", "racy try=")
    [summary] = tagged_lines(nb, "race", "racy tries=")
    assert len(tries) == int(summary["tries"]) >= 1
    lossy = [t for t in tries if t["lost"] != "[]"]
    assert all(int(t["results"]) < 20 for t in lossy)
    assert len(lossy) == int(summary["lossy"]) >= 1, "the racy pool never lost a result"


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
