"""Claims of 03-Spinner, read from the executed notebook: every spinner variant drew frames and then
cleared its line, the answer is 42, and nothing is left running."""

from __future__ import annotations

import re

import pytest

from leftovers import processes_left, threads_left
from nbcheck import cell_by_tag, text_output

NB = "03-Spinner"
VARIANTS = ["thread", "process", "shared", "virtual", "scoped"]


def fields(text: str, prefix: str) -> dict[str, str]:
    """The key=value pairs of the first output line starting with prefix."""
    line = next((l for l in text.splitlines() if l.startswith(prefix)), None)
    assert line is not None, f"no line starting with {prefix!r} in:\n{text}"
    return dict(re.findall(r"(\w+)=(\S+)", line))


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_spinner_draws_frames_then_clears_its_line_and_answers_42(executed_notebook, variant):
    text = text_output(cell_by_tag(executed_notebook(NB), f"spinner-{variant}"))
    summary = fields(text, f"{variant}:")
    assert int(summary["frames"]) > 0
    assert summary["cleared"] == "true"
    assert summary["answer"] == "42"
    assert "Answer: 42" in text


def test_the_process_spinner_is_a_child_of_the_kernels_user_jvm(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "spinner-process"))
    ids = fields(text, "child pid=")
    assert ids["parent"] == ids["JVM"]
    assert ids["pid"] != ids["JVM"]


def test_the_shared_memory_counter_saw_the_childs_frames(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "spinner-shared"))
    assert int(fields(text, "shared_counter=")["shared_counter"]) > 0


def test_the_shared_layout_holds_flag_and_counter(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "shared-layout"))
    assert "(16 bytes): 01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00" in text
    assert "set=true count=2" in text


def test_a_flag_wait_times_out_unset_and_returns_once_set(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "flag"))
    assert "unset: await(100 ms) -> false" in text
    assert "await(5 s) -> true, Flag[set]" in text


def test_a_thousand_sleeping_virtual_threads_take_about_one_sleep(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "sleepers"))
    f = fields(text, "sleepers=")
    assert f["sleepers"] == "1000"
    # 1000 sleeps of 200 ms one after another would take 200 s; together they take well under 10 sleeps.
    assert int(f["elapsed_ms"]) < 2000
    assert 1 <= int(f["carriers"]) <= int(f["cores"])


def test_creating_runs_nothing_and_each_way_of_starting_runs_once(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "three-ways"))
    assert "unstarted virtual thread: ran=0" in text
    assert "answer=42 ran=3" in text


def test_a_failing_subtask_reaches_the_caller_and_cancels_its_sibling(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "scope-failure"))
    assert "caught java.lang.IllegalStateException: slow() failed" in text
    assert "sibling_cancelled=true" in text


def test_a_parked_virtual_thread_keeps_its_whole_stack_and_no_carrier(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "stackful"))
    f = fields(text, "state=")
    assert f["state"] == "TIMED_WAITING"
    assert int(f["depth_frames"]) == 101
    assert "@" not in f["thread"]


def test_nothing_is_left_running(executed_notebook):
    nb = executed_notebook(NB)
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []
