"""Claims of 00-Start-Here, read from the executed notebook: the JDK and cores are reported, the parameters
cell drives the experiment and accepts `make run` overrides, the chart is exported, a runaway loop ends or is
stopped, %threads / %procs / %stop show and stop what cells started, and nothing is left running."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import nbformat

import nbexec
from leftovers import processes_left, threads_left
from nbcheck import Measured, cell_by_tag, has_mime, machine_before, text_output, timing_claim

NB = "00-Start-Here"


def pairs(text: str) -> dict[str, str]:
    return dict(re.findall(r"(\w+)=(\S+)", text))


def test_reports_jdk_25_the_cores_and_a_separate_user_jvm(executed_notebook):
    f = pairs(text_output(cell_by_tag(executed_notebook(NB), "jdk-check")))
    assert f["java"].startswith("25")
    assert int(f["cores"]) >= 1
    assert f["user_jvm"] != f["kernel"]


def test_waits_overlap_on_more_threads_in_rounds(executed_notebook):
    nb = executed_notebook(NB)
    text = text_output(cell_by_tag(nb, "workers-demo"))
    lines = {int(w): (int(m), int(r)) for w, m, r in re.findall(r"workers=(\d+) ms=(\d+) rounds=(\d+)", text)}
    assert sorted(lines) == [1, 2, 3, 4], "one line per value of the default `workers` parameter"
    for n, (elapsed, rounds) in lines.items():
        assert rounds == math.ceil(8 / n), f"{n} threads run the eight waits in ceil(8 / {n}) rounds"
        assert elapsed >= 100 * rounds, f"{n} threads: {elapsed} ms, yet {rounds} rounds of 100 ms each"
    # three threads do not divide 8: their time is three rounds, not 800 ms / 3
    assert lines[3][0] >= 300 > 800 / 3
    assert lines[1][0] > 1.5 * lines[4][0]
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "⌈8 / threads⌉" in prose and "800 ms divided by the number of threads" not in prose


def test_make_run_overrides_the_parameters_cell(kernel_prefix, monkeypatch):
    # `make run` checks overrides with the JDK that runs the kernel; take it from the installed kernelspec.
    spec = kernel_prefix / "share" / "jupyter" / "kernels" / nbexec.KERNEL_NAME / "kernel.json"
    monkeypatch.setenv("JAVA_HOME", str(Path(json.loads(spec.read_text())["argv"][0]).parent.parent))
    nb = nbformat.read(nbexec.find_notebook(NB), as_version=4)
    source = nbexec.injected_parameters_source(nb, nbexec.parse_params("workers=[1,3] runawaySeconds=10"))
    assert "List<Integer> workers = List.of(1, 3);" in source
    assert "long runawaySeconds = 10" in source


def test_the_chart_is_shown_and_exported_as_png_and_svg(executed_notebook):
    cell = cell_by_tag(executed_notebook(NB), "chart")
    assert has_mime(cell, "image/png")
    figures = nbexec.NOTEBOOKS / "figures"
    assert (figures / "00-waits-vs-workers.png").stat().st_size > 0
    assert (figures / "00-waits-vs-workers.svg").stat().st_size > 0


def test_the_runaway_loop_ends_and_leaves_no_thread(executed_notebook):
    nb = executed_notebook(NB)
    assert "the loop ended by itself" in text_output(cell_by_tag(nb, "runaway-loop"))
    assert threads_left(text_output(cell_by_tag(nb, "threads-after-loop"))) == []


def test_threads_lists_the_background_loop_and_stop_ends_it(executed_notebook):
    nb = executed_notebook(NB)
    assert re.search(r"runaway\s+platform\s+RUNNABLE", text_output(cell_by_tag(nb, "threads-runaway")))
    assert "stopped 1 thread (runaway)" in text_output(cell_by_tag(nb, "stop-runaway"))
    assert "runaway alive=false state=TERMINATED" in text_output(cell_by_tag(nb, "runaway-after-stop"))


def test_procs_lists_the_child_jvm_until_it_is_closed(executed_notebook):
    nb = executed_notebook(NB)
    pid = pairs(text_output(cell_by_tag(nb, "sleeper-closed")))["pid"]
    assert re.search(rf"^{pid}\s", text_output(cell_by_tag(nb, "procs-sleeper")), re.M)
    assert f"sleeper pid={pid} alive=false" in text_output(cell_by_tag(nb, "sleeper-closed"))


def test_time_magic_times_the_biggest_job_which_is_last_but_one(executed_notebook):
    nb = executed_notebook(NB)
    f = pairs(text_output(cell_by_tag(nb, "biggest-job")))
    assert f["biggest"] == "9999999999999917" and f["index"] == "18", "the biggest job is last but one"
    assert int(f["divisions"]) > 1000 * max(1, int(f["last_divisions"]))
    assert int(f["last"]) % 3 == 0 and f["last_divisions"] == "1", "the last number: divisible by 3, one division"
    timed = text_output(cell_by_tag(nb, "time-magic"))
    assert "Wall time:" in timed
    assert timed.strip().endswith("true"), "the timed statement checks the biggest job, a prime"


def test_nothing_is_left_running(executed_notebook):
    nb = executed_notebook(NB)
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []


def test_child_jvms_start_faster_with_the_aot_cache(measurements):
    def measure(nb):
        text = text_output(cell_by_tag(nb, "aot"))
        f = pairs(text)
        assert f["aot_ready"] == "true", text
        without, with_cache = int(f["without_cache_ms"]), int(f["with_cache_ms"])
        return Measured(with_cache < without, f"with the cache {with_cache} ms, without {without} ms",
                        machine_before(nb, "aot"))

    timing_claim(measurements(NB), measure)


def test_the_aot_verdict_is_the_measured_one(executed_notebook):
    nb = executed_notebook(NB)
    f = pairs(text_output(cell_by_tag(nb, "aot")))
    verdict = text_output(cell_by_tag(nb, "aot-verdict"))
    faster = int(f["with_cache_ms"]) < int(f["without_cache_ms"])
    assert ("instead of" in verdict) == faster and ("did not help" in verdict) == (not faster)


def test_the_summary_carries_this_runs_numbers(executed_notebook):
    nb = executed_notebook(NB)
    summary = text_output(cell_by_tag(nb, "summary"))
    f = pairs(text_output(cell_by_tag(nb, "aot")))
    assert f"{f['without_cache_ms']} ms without the AOT cache and {f['with_cache_ms']} ms with it" in summary
    for w, ms in re.findall(r"workers=(\d+) ms=(\d+)", text_output(cell_by_tag(nb, "workers-demo"))):
        assert f"{ms} ms on {w} thread" in summary
