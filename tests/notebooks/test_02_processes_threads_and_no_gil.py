"""Claims of 02-Processes-Threads-and-No-GIL, read from the executed notebook: the process tree shows kernel,
user JVM and child like `ps`; children are launched through jspawnhelper; a child JVM runs our class path;
wait, kill and exit codes work, 137 for SIGKILL as in the shell; the JVM has threads of its own; platform
threads get fair shares of the cores; native code and shared native memory work from parallel threads;
I/O-bound and CPU-bound threads speed up and so does a process pool; daemon threads die with their JVM,
virtual threads are always daemons, System.exit runs shutdown hooks and Runtime.halt does not, while an
orphaned process lives on; threads share a pid with distinct tids; nothing is left running."""

from __future__ import annotations

import re

from leftovers import processes_left, threads_left
from nbcheck import Measured, cell_by_tag, machine_before, text_output, timing_claim

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


def test_children_are_launched_through_jspawnhelper(executed_notebook):
    f = pairs(text_output(cell_by_tag(executed_notebook(NB), "jspawnhelper")))
    assert f["jspawnhelper"] == "true" and f["path"].endswith("/lib/jspawnhelper")
    assert f["launch_mechanism"] in ("default", "POSIX_SPAWN")


def test_the_child_jvm_runs_our_java_and_class_path(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "same-classpath"))
    assert "java=true same_classpath=true" in text


def test_wait_kill_and_exit_codes(executed_notebook):
    nb = executed_notebook(NB)
    killed = text_output(cell_by_tag(nb, "kill"))
    assert "killed: ended=true exit_code=137" in killed
    assert "shell_status=137" in killed, "the shell reports a SIGKILL the same way"
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


def test_every_cpu_bound_thread_gets_a_fair_share(measurements):
    def measure(nb):
        f = pairs(text_output(cell_by_tag(nb, "time-slicing")))
        assert int(f["threads"]) == 2 * int(f["cores"])
        # An equal share is 1.0; the smallest thread must get at least half of it.
        return Measured(float(f["fair_share"]) >= 0.5, f"fair_share {f['fair_share']} < 0.5",
                        machine_before(nb, "time-slicing"))

    timing_claim(measurements(NB), measure)


def test_native_calls_from_two_threads_run_in_parallel(measurements):
    def measure(nb):
        f = pairs(text_output(cell_by_tag(nb, "native-parallel")))
        # Two threads doing a thread's work each: about 1× on two free cores, 2× if serialised. Loose bound.
        return Measured(float(f["ratio"]) < 1.6, f"native ratio {f['ratio']} >= 1.6",
                        machine_before(nb, "native-parallel"))

    timing_claim(measurements(NB), measure)


def test_two_threads_fill_one_native_segment(executed_notebook):
    f = pairs(text_output(cell_by_tag(executed_notebook(NB), "shared-segment")))
    assert f["sum"] == f["expected"]


def test_io_bound_requests_overlap_on_threads(executed_notebook):
    f = pairs(text_output(cell_by_tag(executed_notebook(NB), "io-bound")))
    assert f["all_answered"] == "true"
    assert float(f["sequential_s"]) >= 8 * 0.2
    assert float(f["speedup"]) > 3


def cpu_bound(nb) -> dict[str, str]:
    text = text_output(cell_by_tag(nb, "cpu-bound"))
    assert text.count("complete=true") == 3
    return pairs(text)


def test_cpu_bound_threads_use_two_cores(measurements):
    timing_claim(measurements(NB), lambda nb: Measured(
        float(cpu_bound(nb)["thread_speedup"]) > 1.25, f"thread speedup {cpu_bound(nb)['thread_speedup']} <= 1.25",
        machine_before(nb, "cpu-bound")))


def test_two_child_jvms_beat_one_thread_their_start_included(measurements):
    timing_claim(measurements(NB), lambda nb: Measured(
        float(cpu_bound(nb)["process_speedup"]) > 1.15,
        f"process speedup {cpu_bound(nb)['process_speedup']} <= 1.15", machine_before(nb, "cpu-bound")))


def test_the_process_pool_stays_behind_the_threads(measurements):
    # 'What to try': it pays for starting its JVMs and for a pipe trip per job, which the threads do not
    def measure(nb):
        f = cpu_bound(nb)
        return Measured(float(f["process_speedup"]) < float(f["thread_speedup"]),
                        f"process speedup {f['process_speedup']} >= thread speedup {f['thread_speedup']}",
                        machine_before(nb, "cpu-bound"))

    timing_claim(measurements(NB), measure)


def test_daemon_threads_die_with_their_jvm(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "daemon"))
    f = pairs(text)
    assert "non-daemon thread done" in text
    assert f["exit_code"] == "0" and f["daemon_finished"] == "false"
    assert float(f["exited_after_s"]) < 60


def test_virtual_threads_are_always_daemons(executed_notebook):
    f = pairs(text_output(cell_by_tag(executed_notebook(NB), "virtual-daemon")))
    assert f["virtual_daemon"] == "true"
    assert f["set_daemon_false"] == "refused"


def test_system_exit_runs_shutdown_hooks_and_halt_does_not(executed_notebook):
    rows = {r["ending"]: r for r in (pairs(l) for l in text_output(cell_by_tag(executed_notebook(NB), "exit-halt"))
                                     .splitlines() if l.startswith("ending="))}
    assert rows["exit"] == {"ending": "exit", "exit_code": "3", "hook_ran": "true"}
    assert rows["halt"] == {"ending": "halt", "exit_code": "4", "hook_ran": "false"}


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


def test_the_summary_is_this_runs(executed_notebook):
    nb = executed_notebook(NB)
    summary = text_output(cell_by_tag(nb, "summary"))
    f = cpu_bound(nb)
    assert f"**{f['thread_speedup']}×** as fast as one, two child JVMs **{f['process_speedup']}×**" in summary
    assert f"took **{pairs(text_output(cell_by_tag(nb, 'native-parallel')))['ratio']}×**" in summary


def test_nothing_is_left_running(executed_notebook):
    nb = executed_notebook(NB)
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []
