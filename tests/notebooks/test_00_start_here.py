"""Claims of 00-Start-Here, read from the executed notebook: the JDK and cores are reported, the parameters
cell drives the experiment and accepts `make run` overrides, the chart is exported, a runaway loop ends or is
stopped, %threads / %procs / %stop show and stop what cells started, and nothing is left running."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

import nbexec
from leftovers import processes_left, threads_left
from nbcheck import cell_by_tag, has_mime, text_output

NB = "00-Start-Here"


def pairs(text: str) -> dict[str, str]:
    return dict(re.findall(r"(\w+)=(\S+)", text))


def test_reports_jdk_25_the_cores_and_a_separate_user_jvm(executed_notebook):
    f = pairs(text_output(cell_by_tag(executed_notebook(NB), "jdk-check")))
    assert f["java"].startswith("25")
    assert int(f["cores"]) >= 1
    assert f["user_jvm"] != f["kernel"]


def test_waits_overlap_on_more_threads(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "workers-demo"))
    ms = {int(w): int(m) for w, m in re.findall(r"workers=(\d+) ms=(\d+)", text)}
    assert sorted(ms) == [1, 2, 4], "one line per value of the default `workers` parameter"
    for n, elapsed in ms.items():
        assert elapsed >= 8 * 100 // n, "eight 100 ms waits cannot finish faster than 800 ms / threads"
    assert ms[1] > 1.5 * ms[4]


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


def test_time_magic_prints_the_wall_time(executed_notebook):
    assert "Wall time:" in text_output(cell_by_tag(executed_notebook(NB), "time-magic"))


def test_nothing_is_left_running(executed_notebook):
    nb = executed_notebook(NB)
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []


def test_child_jvms_get_an_aot_cache(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "aot"))
    f = pairs(text)
    assert f["aot_ready"] == "true", text
    assert int(f["without_cache_ms"]) > 0 and int(f["with_cache_ms"]) > 0
