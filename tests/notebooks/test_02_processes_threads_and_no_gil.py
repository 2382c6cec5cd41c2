"""Claims of 02-Processes-Threads-and-No-GIL, read from the executed notebook: the process tree shows kernel,
user JVM and child like `ps`; a child JVM runs our class path; wait, kill and exit codes work; the JVM has
threads of its own; platform threads are time-sliced by the OS; native code and shared native memory work
from parallel threads; I/O-bound and CPU-bound threads speed up; daemon threads die with their JVM while
an orphaned process lives on; threads share a pid with distinct tids; nothing is left running."""

from __future__ import annotations

import re

from leftovers import processes_left, threads_left
from nbcheck import cell_by_tag, text_output, timing_claim

NB = "02-Processes-Threads-and-No-GIL"


def pairs(text: str) -> dict[str, str]:
    return dict(re.findall(r"(\w+)=(\S+)", text))


def test_the_process_tree_is_kernel_user_jvm_child(executed_notebook):
    nb = executed_notebook(NB)
    started = text_output(cell_by_tag(nb, "sleeper"))
    parent, child = re.search(r"\[parent\] pid (\d+), child pid (\d+), child is sleeping: true", started).groups()
    assert f"[child] pid {child}, ppid {parent}" in started
    rows = [r.split() for r in text_output(cell_by_tag(nb, "ps-tree")).splitlines()[1:] if r.strip()]
    ppid_of = {r[0]: r[1] for r in rows}
    assert ppid_of[child] == parent
    assert rows[0][0] == ppid_of[parent], "the tree starts at the kernel, the user JVM's parent"
    ps = text_output(cell_by_tag(nb, "ps-program"))
    assert re.search(rf"^\s*{child}\s+{parent}\s", ps, re.M)
    assert "ps exit code 0" in ps


def test_the_child_jvm_runs_our_java_and_class_path(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "same-classpath"))
    assert "java=true same_classpath=true" in text


def test_wait_kill_and_exit_codes(executed_notebook):
    nb = executed_notebook(NB)
    assert "killed: ended=true exit_code=137" in text_output(cell_by_tag(nb, "kill"))
    done = pairs(text_output(cell_by_tag(nb, "exit-code")))
    assert done["exit_code"] == "3"
    assert done["onExit_pid"] == done["child_pid"]
    assert "children of this JVM now: 0" in text_output(cell_by_tag(nb, "exit-code"))


def test_the_jvm_runs_threads_of_its_own(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "jvm-threads"))
    f = pairs(text)
    assert int(f["os_threads"]) > int(f["java_visible"])
    for name in ("GC Thread", "VM Thread", "Reference Handl", "CompilerThre"):
        assert name in text
    assert "ParallelGCThreads=" in text_output(cell_by_tag(executed_notebook(NB), "collectors"))


def test_every_cpu_bound_thread_gets_time(executed_notebook):
    f = pairs(text_output(cell_by_tag(executed_notebook(NB), "time-slicing")))
    assert int(f["threads"]) == 2 * int(f["cores"])
    assert int(f["min"]) > 0


def test_native_calls_from_two_threads(executed_notebook):
    f = pairs(text_output(cell_by_tag(executed_notebook(NB), "native-parallel")))
    # Two threads doing a thread's work each: about 1× on two free cores, 2× if serialised. Loose bound.
    timing_claim(float(f["ratio"]) < 1.6, f"native ratio {f['ratio']} >= 1.6", f["load_average"])


def test_two_threads_fill_one_native_segment(executed_notebook):
    f = pairs(text_output(cell_by_tag(executed_notebook(NB), "shared-segment")))
    assert f["sum"] == f["expected"]


def test_io_bound_requests_overlap_on_threads(executed_notebook):
    f = pairs(text_output(cell_by_tag(executed_notebook(NB), "io-bound")))
    assert f["all_answered"] == "true"
    assert float(f["sequential_s"]) >= 8 * 0.2
    assert float(f["speedup"]) > 3


def test_cpu_bound_threads_use_two_cores(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "cpu-bound"))
    assert text.count("complete=true") == 3
    f = pairs(text)
    timing_claim(float(f["thread_speedup"]) > 1.25, f"thread speedup {f['thread_speedup']} <= 1.25", f["load_average"])


def test_daemon_threads_die_with_their_jvm(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "daemon"))
    f = pairs(text)
    assert "non-daemon thread done" in text
    assert f["exit_code"] == "0" and f["daemon_finished"] == "false"
    assert float(f["exited_after_s"]) < 60


def test_an_orphaned_process_outlives_its_parent(executed_notebook):
    f = pairs(text_output(cell_by_tag(executed_notebook(NB), "orphan")))
    assert f["alive"] == "true"
    assert f["new_parent"] != f["shell"]
    assert f["orphan_ended"] == "true"


def test_threads_share_the_pid_with_their_own_tids(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "ids"))
    tids = re.search(r"thread_tids=\[(\d+), (\d+)\]", text).groups()
    assert len(set(tids)) == 2
    assert pairs(text)["pid"] not in tids


def test_nothing_is_left_running(executed_notebook):
    nb = executed_notebook(NB)
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []
