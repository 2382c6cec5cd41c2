"""The JIT's compiler threads in a fresh user JVM run at a lower priority while it prepares its first cell (the
thread compiling JShell's imports gets the cores first), and at their own again before any user code runs: the
notebooks time user code, and its loops must not meet a lowered JIT. Lowered only where the nice value can be
set back (root, or a nice limit that allows it); elsewhere the log says it was kept."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

from test_faults import TIMEOUT, children, run, start_logged

COMPILER_THREADS = ("C1 CompilerThre", "C2 CompilerThre")

# the cell's own thread and the JVM's compiler threads, each with its nice value (field 19 of /proc's stat)
NICE_OF_COMPILER_THREADS = """
int niceOf(java.nio.file.Path task) throws Exception {
    String stat = java.nio.file.Files.readString(task.resolve("stat"));
    return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
}
System.out.println("own " + niceOf(java.nio.file.Path.of("/proc/thread-self")));
try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
    for (var task : tasks.toList()) {
        String comm = java.nio.file.Files.readString(task.resolve("comm")).strip();
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            System.out.println("compiler " + niceOf(task));
        }
    }
}
"""


def nice_can_be_set_back():
    """Whether this process may raise a thread's nice value and lower it again, as the user JVM will try."""
    answer = {}

    def probe():
        tid = threading.get_native_id()
        own = os.getpriority(os.PRIO_PROCESS, tid)
        try:
            os.setpriority(os.PRIO_PROCESS, tid, own + 1)
            os.setpriority(os.PRIO_PROCESS, tid, own)
            answer["yes"] = True
        except PermissionError:
            answer["yes"] = False

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return answer["yes"]


def compiler_nice_values(pid):
    values = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            if (task / "comm").read_text().strip() in COMPILER_THREADS:
                stat = (task / "stat").read_text()
                values.append(int(stat[stat.rindex(")") + 2:].split()[16]))
        except OSError:
            continue
    return values


def start_up_line(log):
    """The user JVM's start-up line, once it is in the log."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        found = re.search(r"start-up, ms after main: (.*)", log.read_text(encoding="utf-8"))
        if found:
            return found.group(1)
        time.sleep(0.05)
    raise AssertionError("no start-up line in " + log.read_text(encoding="utf-8"))


def test_the_first_cells_code_runs_with_the_jit_at_its_own_priority(kernel_prefix, tmp_path):
    log = tmp_path / "kernel.log"
    km, kc = start_logged(log)
    try:
        cell = run(kc, NICE_OF_COMPILER_THREADS)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    assert cell.status == "ok", cell.reply["content"]
    lines = cell.stream("stdout").split()
    own = int(lines[lines.index("own") + 1])
    compilers = [int(lines[i + 1]) for i, word in enumerate(lines) if word == "compiler"]
    assert compilers and all(nice == own for nice in compilers), cell.stream("stdout")
    line = start_up_line(log)
    if nice_can_be_set_back():
        assert f"JIT at nice +10 ({len(compilers)} threads)" in line, line
    else:
        assert "JIT priority kept" in line, line


def test_a_first_cell_that_does_not_compile_still_sets_the_jit_back(kernel_prefix, tmp_path):
    log = tmp_path / "kernel.log"
    km, kc = start_logged(log)
    try:
        cell = run(kc, "int broken = ;")
        assert cell.status == "error", cell.reply["content"]
        user_jvm = [pid for pid in children(km.provisioner.process.pid)
                    if b"AgentMain" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(user_jvm) == 1, user_jvm
        own = os.getpriority(os.PRIO_PROCESS, 0)  # the kernel and its user JVM inherit it
        # no user code ran: the first answer sets the JIT back, on the agent's warm-up thread
        deadline = time.monotonic() + 5
        while any(nice != own for nice in compiler_nice_values(user_jvm[0])) and time.monotonic() < deadline:
            time.sleep(0.05)
        values = compiler_nice_values(user_jvm[0])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    assert values and all(nice == own for nice in values), values
    if nice_can_be_set_back():
        assert "JIT at nice +10" in start_up_line(log)
