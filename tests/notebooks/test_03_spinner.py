"""Claims of 03-Spinner, read from the executed notebook: every spinner variant drew frames and then
cleared its line, the answer is 42; a thousand sleeping virtual threads share the cores' carriers; on one
carrier only the ways of blocking that unmount or get an extra carrier let another virtual thread run, and JFR
reports pinning only under a native frame; structured concurrency's joiners, timeout and changed preview API;
an event loop keeps conversations as objects on one thread, virtual threads as stacks; nothing is left
running."""

from __future__ import annotations

import re

import pytest

from leftovers import processes_left, threads_left
from nbcheck import Measured, cell_by_tag, machine_before, text_output, timing_claim

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


def test_the_printed_virtual_spinner_says_whether_it_was_mounted(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "spinner-virtual"))
    printed = re.search(r"spinner object: (VirtualThread\[#\d+,spinner\]/\w+(@\S+)?)", text)
    assert printed, text
    mounted = re.search(r"mounted=(true|false)", text).group(1)
    assert mounted == ("true" if printed.group(2) else "false")


def test_the_child_and_the_thread_frame_counts_are_the_ones_drawn(executed_notebook):
    nb = executed_notebook(NB)
    counts = {v: fields(text_output(cell_by_tag(nb, f"spinner-{v}")), f"{v}:")["frames"] for v in ("thread", "process")}
    said = text_output(cell_by_tag(nb, "process-vs-thread"))
    assert f"drew **{counts['process']}** frames" in said and f"thread drew **{counts['thread']}**" in said


def test_the_child_jvms_draw_at_most_one_frame_more_than_the_thread(executed_notebook):
    # they start later (a JVM start) and stop a moment later (the stop line or flag must reach them)
    nb = executed_notebook(NB)
    counts = {v: int(fields(text_output(cell_by_tag(nb, f"spinner-{v}")), f"{v}:")["frames"])
              for v in ("thread", "process", "shared")}
    assert counts["process"] <= counts["thread"] + 1 and counts["shared"] <= counts["thread"] + 1, counts
    tries = next(c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## What to try"))
    assert "one above at most" in tries and "a few behind" not in tries


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
    assert f"took **{f['elapsed_ms']} ms** in all, on {f['carriers']} carrier" in text


def blocks(nb) -> dict[str, dict[str, str]]:
    text = text_output(cell_by_tag(nb, "carriers"))
    return {b["kind"]: b for b in (dict(re.findall(r"(\w+)=(\S+)", l)) for l in text.splitlines()
                                   if l.startswith("block "))}


HOLD = ("file-read", "native-call", "native-upcall-sleep", "cpu")


def test_on_one_carrier_a_held_carrier_gets_no_help_but_a_child_process_read_gets_another(executed_notebook):
    b = blocks(executed_notebook(NB))
    assert set(b) == {"sleep", "synchronized-sleep", "file-read", "native-call", "native-upcall-sleep", "cpu",
                      "pipe-read"}
    for kind in HOLD:
        assert int(b[kind]["ticks"]) * 2 < int(b[kind]["expected"]), f"the ticker ran while {kind} held: {b[kind]}"
        assert b[kind]["carriers"] == "1", b[kind]
    for kind in ("sleep", "synchronized-sleep"):
        assert b[kind]["carriers"] == "1" and b[kind]["pinned_events"] == "0", b[kind]
    assert int(b["pipe-read"]["carriers"]) >= 2, "reading a child's output gets an extra carrier"


def test_jfr_reports_pinning_only_when_a_virtual_thread_tries_to_unmount_under_a_native_frame(executed_notebook):
    b = blocks(executed_notebook(NB))
    # qsort of two numbers calls the sleeping comparator once: one pinned event ("a single one per block")
    assert b["native-upcall-sleep"]["pinned_events"] == "1", b["native-upcall-sleep"]
    for kind in ("sleep", "synchronized-sleep", "native-call", "file-read", "pipe-read", "cpu"):
        assert b[kind]["pinned_events"] == "0", b[kind]


def test_what_unmounts_or_gets_an_extra_carrier_lets_the_ticker_run(measurements):
    def measure(nb):
        b = blocks(nb)
        slow = {k: v for k, v in b.items() if k in ("sleep", "synchronized-sleep", "pipe-read")
                and int(v["ticks"]) * 2 < int(v["expected"])}
        return Measured(not slow, f"the ticker fell behind: {slow}", machine_before(nb, "carriers"), needs=1)

    timing_claim(measurements(NB), measure)


def test_the_carrier_table_is_the_measured_one(executed_notebook):
    nb = executed_notebook(NB)
    table = text_output(cell_by_tag(nb, "carriers-table"))
    for kind, b in blocks(nb).items():
        held = kind in HOLD
        assert re.search(rf"\| `{kind}` \| {b['ticks']} / {b['expected']} \| {b['carriers']} \| "
                         rf"{b['pinned_events']} \| {'stood still' if held else 'ran'}", table), kind


def test_creating_runs_nothing_and_each_way_of_starting_runs_once(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "three-ways"))
    assert "unstarted virtual thread: ran=0" in text
    assert "answer=42 ran=3" in text


def test_a_failing_subtask_reaches_the_caller_and_cancels_its_sibling(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "scope-failure"))
    assert "caught java.lang.IllegalStateException: slow() failed" in text
    assert "sibling_cancelled=true" in text


def test_joiners_gather_take_the_first_success_and_time_out(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "joiners"))
    assert "allSuccessfulOrThrow -> [1, 2, 3]" in text, "results in fork order, like asyncio.gather"
    assert "anySuccessfulResultOrThrow -> 7" in text, "the first success, past an earlier failure"
    assert "anyOf (FIRST_COMPLETED) -> failed: failed first" in text, "FIRST_COMPLETED returns the failure"
    assert "withTimeout(200 ms) -> TimeoutException" in text
    took = int(re.search(r"all four took (\d+) ms", text).group(1))
    assert took < 5000, "the five-second subtasks were cancelled"


def test_code_for_an_earlier_preview_no_longer_compiles(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "old-preview"))
    assert "error: cannot find symbol" in text
    assert "class ShutdownOnFailure" in text
    assert "javac exit code 1" in text


def test_an_event_loop_keeps_conversations_as_objects_virtual_threads_as_stacks(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "servers"))
    servers = {s["server"]: s for s in (dict(re.findall(r"([\w-]+)=(\S+)", l)) for l in text.splitlines()
                                        if l.startswith("server="))}
    loop, vt = servers["event_loop"], servers["virtual_threads"]
    for s in (loop, vt):
        assert s["answered"] == s["clients"], s
    assert loop["threads"] == "1"
    delay = int(re.search(r"serverDelay = Duration\.ofMillis\((\d+)\)",
                          cell_by_tag(executed_notebook(NB), "parameters").source).group(1)) / 1000
    for s in (loop, vt):
        # clients waits of serverDelay one after another would take clients × serverDelay; they overlapped.
        assert float(s["seconds"]) * 10 < int(s["clients"]) * delay, s
    assert int(vt["threads"]) == int(vt["clients"]) + 1, "a thread per conversation, and the acceptor"
    assert f"{loop['clients']} conversations, all on thread event-loop" in text
    assert "Conversation[step=WAITING, line=hello-" in text
    assert f"{vt['clients']} conversations, each on a virtual thread of its own" in text
    assert re.search(r"Thread\.sleep\n\s+ThreadPerConnectionServer\.answer\n\s+ThreadPerConnectionServer\.converse",
                     text), "the waiting conversation's stack, from the sleep down to converse"


def test_the_summary_is_this_runs(executed_notebook):
    nb = executed_notebook(NB)
    summary = text_output(cell_by_tag(nb, "summary"))
    frames = fields(text_output(cell_by_tag(nb, "spinner-thread")), "thread:")["frames"]
    assert f"{frames} (thread)" in summary
    assert "stood still under `file-read`, `native-call`, `native-upcall-sleep`, `cpu`" in summary
    assert "JFR reported pinning for `native-upcall-sleep`." in summary


def test_a_parked_virtual_thread_keeps_its_whole_stack_and_no_carrier(executed_notebook):
    text = text_output(cell_by_tag(executed_notebook(NB), "stackful"))
    f = fields(text, "state=")
    assert f["state"] == "TIMED_WAITING"
    assert int(f["depth_frames"]) == 101
    assert "@" not in f["thread"]


def test_nothing_is_left_running(executed_notebook):
    nb = executed_notebook(NB)
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    # the common pool's timer, started for the scope's timeout, lives on and is no cell's: %threads leaves it out
    assert "common_pool_timer_alive=true" in text_output(cell_by_tag(nb, "common-pool-timer"))
    assert "delayScheduler" not in text_output(cell_by_tag(nb, "threads-at-end"))
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "left out on purpose: `ForkJoinPool.commonPool-delayScheduler`" in prose and "may show up" not in prose
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []
