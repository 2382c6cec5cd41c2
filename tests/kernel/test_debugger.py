"""JupyterLab's debugger on the real kernel (jupyter_client): the Debug Adapter Protocol requests in
the order JupyterLab 4.6 sends them (recorded from the browser with ipykernel: debugInfo, initialize,
attach, setExceptionBreakpoints, dumpCell, setBreakpoints, then stackTrace, source, scopes and variables
after each `stopped` event), answered over JDI. A breakpoint in a method a cell declared stops at the
cell's own line, the call stack names the cells by the file names JupyterLab computes (Murmur2 of the
code), locals have their values, step and continue move on, a virtual thread a cell started stops too,
and an interrupt ends a cell whose thread waits at a breakpoint. Pause stops a waiting platform thread and
says that it cannot pause a parked virtual thread; a cell under a cell magic keeps its line numbers; a
silent execution takes no execution count and makes no cell source. With the "raised" filter an
exception thrown in a cell's method stops there; richInspectVariables shows a table as HTML and a chart as PNG.
With the debugger on, %threads and %stop work, an interrupt and %stop end virtual threads busy in library
code, and after a crash the new user JVM's breakpoints stop again.
The user JVM runs without the debug agent until the debugger is switched on: a fresh kernel's is then
restarted in debug mode with no line in any cell; one where a cell ran keeps its variables, answers
breakpoints unverified, and the next cell says at its top how to restart it (`%debugger restart`).
Waits are bounded; nothing sleeps to synchronise.
"""

from __future__ import annotations

import base64
import json
import time

import pytest
from jupyter_client.manager import KernelManager

import test_faults
from test_faults import KERNEL, TIMEOUT, children, cmdline, run, shell_reply, start, wait_for

TOTAL = """int total(int n) {
    int acc = 0;
    for (int i = 0; i < n; i++) {
        acc += i * 10;
    }
    return acc;
}"""
ACC_LINE = 4


def murmur2(text: str, seed: int) -> int:
    """MurmurHash2 (32 bits) of the UTF-8 bytes, as JupyterLab names a cell's file."""
    data = text.encode("utf-8")
    m, n, i = 0x5BD1E995, len(data), 0
    h = (seed ^ n) & 0xFFFFFFFF
    while n - i >= 4:
        k = int.from_bytes(data[i:i + 4], "little") * m & 0xFFFFFFFF
        k = (k ^ (k >> 24)) * m & 0xFFFFFFFF
        h = (h * m & 0xFFFFFFFF) ^ k
        i += 4
    rest = data[i:]
    if len(rest) == 3:
        h ^= rest[2] << 16
    if len(rest) >= 2:
        h ^= rest[1] << 8
    if rest:
        h = (h ^ rest[0]) * m & 0xFFFFFFFF
    h = (h ^ (h >> 13)) * m & 0xFFFFFFFF
    return h ^ (h >> 15)


class Debugger:
    """Sends DAP requests on control as JupyterLab does and keeps the debug events IOPub brings."""

    def __init__(self, kc):
        self.kc = kc
        self.seq = 0
        self.events = []

    def request(self, command, arguments=None):
        self.seq += 1
        content = {"type": "request", "seq": self.seq, "command": command}
        if arguments is not None:
            content["arguments"] = arguments
        msg = self.kc.session.msg("debug_request", content)
        self.kc.control_channel.send(msg)
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self.kc.get_control_msg(timeout=max(0.01, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                assert reply["msg_type"] == "debug_reply"
                return reply["content"]

    def ok(self, command, arguments=None):
        r = self.request(command, arguments)
        assert r["success"], json.dumps(r)
        assert r["command"] == command and r["request_seq"] == self.seq
        return r.get("body", {})

    def event(self, name, timeout=TIMEOUT):
        """The next debug event called `name` (earlier events of that name are taken first)."""
        deadline = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["event"] == name:
                    return self.events.pop(i)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {name} event within {timeout} s; events: {self.events}")
            try:
                msg = self.kc.get_iopub_msg(timeout=min(left, 1.0))
            except Exception:  # queue.Empty: keep waiting until the deadline
                continue
            if msg["msg_type"] == "debug_event":
                self.events.append(msg["content"])

    def break_at(self, path, *lines):
        """Sets the breakpoints of the cell file `path` as a gutter click does; returns them as placed."""
        return self.ok("setBreakpoints", {"breakpoints": [{"line": n} for n in lines], "source": {"path": path},
                                          "sourceModified": False})["breakpoints"]

    def top(self, stopped):
        frames = self.ok("stackTrace", {"threadId": stopped["body"]["threadId"]})["stackFrames"]
        assert frames, stopped
        return frames

    def locals(self, frame):
        scopes = self.ok("scopes", {"frameId": frame["id"]})["scopes"]
        names = [s["name"] for s in scopes]
        assert names[0] == "Locals" and scopes[0]["presentationHint"] == "locals", scopes
        variables = self.ok("variables", {"variablesReference": scopes[0]["variablesReference"]})["variables"]
        return {v["name"]: v["value"] for v in variables}


def switch_on(kc):
    """The debugger switched on as JupyterLab does it: (Debugger, debugInfo's body)."""
    dbg = Debugger(kc)
    info = dbg.ok("debugInfo")
    dbg.ok("initialize", {"clientID": "jupyterlab", "clientName": "JupyterLab", "adapterID": KERNEL,
                          "pathFormat": "path", "linesStartAt1": True, "columnsStartAt1": True,
                          "supportsVariableType": True, "supportsVariablePaging": True,
                          "supportsRunInTerminalRequest": True, "locale": "en"})
    dbg.switched = dbg.request("attach", {})
    assert dbg.switched["success"], dbg.switched
    dbg.ok("setExceptionBreakpoints", {"filters": []})
    return dbg, info


@pytest.fixture(scope="module")
def session(kernel_prefix):
    km, kc = start(kernel_prefix)
    dbg, info = switch_on(kc)
    yield km, kc, dbg, info
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def run_ok(kc, code):
    reply = shell_reply(kc, kc.execute(code))
    assert reply["content"]["status"] == "ok", reply["content"]
    return reply


def clear_and_finish(kc, dbg, file, thread, msg_id):
    """Clears the breakpoints of `file`, lets the stopped `thread` run on, and checks its cell ends ok."""
    dbg.break_at(file)
    dbg.ok("continue", {"threadId": thread})
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"


def cell_file(dbg, info, code):
    path = dbg.ok("dumpCell", {"code": code})["sourcePath"]
    assert path == f"{info['tmpFilePrefix']}{murmur2(code, info['hashSeed'])}{info['tmpFileSuffix']}"
    return path


def test_the_kernelspec_and_kernel_info_enable_the_debugger_button(session):
    km, kc, dbg, info = session
    assert KernelManager(kernel_name=KERNEL).kernel_spec.metadata.get("debugger") is True
    reply = shell_reply(kc, kc.kernel_info())
    assert reply["content"]["debugger"] is True
    assert "debugger" in reply["content"]["supported_features"]
    assert info["hashMethod"] == "Murmur2" and info["tmpFileSuffix"] == ".java"
    assert dbg.ok("debugInfo")["isStarted"] is True
    modules = dbg.ok("modules", {})
    assert modules["modules"] == [] and modules["totalModules"] == 0


def user_jvms(km):
    """The command lines of the kernel's user JVMs (those running the agent, not a cache's training)."""
    lines = [cmdline(pid) for pid in children(km.provisioner.process.pid)]
    return [c for c in lines if "dev.jcn.kernel.agent.AgentMain" in c and "--train-aot-cache" not in c]


def in_debug_mode(km):
    """Whether the kernel has one user JVM, and it has the JDWP agent (waits for an old one to end)."""
    return wait_for(lambda: len(jvms := user_jvms(km)) == 1 and "-agentlib:jdwp" in jvms[0], seconds=TIMEOUT)


def test_switching_a_fresh_kernel_on_restarts_its_user_jvm_in_debug_mode_and_no_cell_says_so(session):
    km, kc, dbg, info = session
    assert "restarted in debug mode" in dbg.switched.get("message", ""), dbg.switched
    assert in_debug_mode(km), user_jvms(km)
    cell = run(kc, "1 + 1")
    assert cell.result() == "2" and "[kernel]" not in cell.stream(), cell.messages


def test_warm_cells_carry_no_debug_work_until_the_debugger_is_switched_on(kernel_prefix):
    km, kc = start(kernel_prefix)
    try:
        assert run(kc, "int kept = 41;").status == "ok"
        jvms = user_jvms(km)
        assert len(jvms) == 1 and "-agentlib:jdwp" not in jvms[0] and "jcn.kernel.debugger" not in jvms[0], jvms
        pid = test_faults.user_jvm(km)

        dbg, info = switch_on(kc)
        # the cell's state is kept: same JVM, still without the agent, and the reply says how to restart
        assert "%debugger restart" in dbg.switched.get("message", ""), dbg.switched
        assert test_faults.user_jvm(km) == pid and "-agentlib:jdwp" not in cmdline(pid)
        # the Variables panel lists the kept variables without the debug agent
        listed = {v["name"]: (v["type"], v["value"]) for v in dbg.ok("inspectVariables", {})["variables"]}
        assert listed == {"kept": ("int", "41")}, listed
        first = run(kc, "kept + 1")
        assert first.result() == "42", first.reply["content"]
        assert first.stream().startswith("[kernel] The debugger is on, but breakpoints stop only in a user JVM"
                                         " started in debug mode"), first.stream()
        assert "%debugger restart" in first.stream() and first.stream().count("\n") == 1, first.stream()
        run_ok(kc, TOTAL)
        total_file = cell_file(dbg, info, TOTAL)
        placed = dbg.break_at(total_file, ACC_LINE)
        assert [b["verified"] for b in placed] == [False] and "%debugger restart" in placed[0]["message"], placed
        second = run(kc, "kept + 2")
        assert second.result() == "43" and "[kernel]" not in second.stream(), second.stream()

        restart = run(kc, "%debugger restart")
        assert restart.status == "ok" and "restarted the user JVM in debug mode" in restart.stream(), restart.messages
        assert "[kernel] The debugger is on" not in restart.stream()
        assert in_debug_mode(km), user_jvms(km)
        gone = run(kc, "kept")
        assert gone.evalue == "line 1, column 1: cannot find symbol", gone.reply["content"]
        assert "variable kept" in "\n".join(gone.reply["content"]["traceback"]), gone.reply["content"]
        # the breakpoint set before the restart stops in the new JVM, in the cell run again
        run_ok(kc, TOTAL)
        assert [b["verified"] for b in dbg.break_at(total_file, ACC_LINE)] == [True]
        msg_id = kc.execute("int after = total(2);")
        stopped = dbg.event("stopped", timeout=60)
        frame = dbg.top(stopped)[0]
        assert (frame["source"]["path"], frame["line"]) == (total_file, ACC_LINE)
        assert dbg.locals(frame) == {"n": "2", "acc": "0", "i": "0"}
        clear_and_finish(kc, dbg, total_file, stopped["body"]["threadId"], msg_id)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_a_breakpoint_in_a_cells_method_stops_at_the_cells_line_with_its_locals(session):
    km, kc, dbg, info = session
    run_ok(kc, TOTAL)
    total_file = cell_file(dbg, info, TOTAL)
    placed = dbg.break_at(total_file, ACC_LINE)
    assert [(b["verified"], b["line"]) for b in placed] == [(True, ACC_LINE)]
    assert dbg.ok("debugInfo")["breakpoints"] == [{"source": total_file, "breakpoints": [{"line": ACC_LINE}]}]

    caller = "int r = total(3);"
    msg_id = kc.execute(caller)
    stopped = dbg.event("stopped")
    assert stopped["body"]["reason"] == "breakpoint"
    assert stopped["body"]["hitBreakpointIds"] == [placed[0]["id"]]
    assert dbg.ok("debugInfo")["stoppedThreads"][0] == stopped["body"]["threadId"]
    frames = dbg.top(stopped)
    assert (frames[0]["name"], frames[0]["source"]["path"], frames[0]["line"]) == ("total", total_file, ACC_LINE)
    assert (frames[1]["source"]["path"], frames[1]["line"]) == (cell_file(dbg, info, caller), 1)
    assert dbg.ok("source", {"source": {"path": total_file}})["content"] == TOTAL
    assert dbg.locals(frames[0]) == {"n": "3", "acc": "0", "i": "0"}

    dbg.ok("next", {"threadId": stopped["body"]["threadId"]})
    assert dbg.event("continued")["body"]["allThreadsContinued"] is True
    stepped = dbg.event("stopped")
    assert stepped["body"]["reason"] == "step"
    step_frame = dbg.top(stepped)[0]
    assert (step_frame["source"]["path"], step_frame["line"]) == (total_file, 3)  # the loop's i++

    assert dbg.ok("continue", {"threadId": stepped["body"]["threadId"]})["allThreadsContinued"] is True
    again = dbg.event("stopped")
    assert again["body"]["reason"] == "breakpoint"
    assert dbg.locals(dbg.top(again)[0]) == {"n": "3", "acc": "0", "i": "1"}

    clear_and_finish(kc, dbg, total_file, again["body"]["threadId"], msg_id)
    variables = {v["name"]: v for v in dbg.ok("inspectVariables", {})["variables"]}
    assert variables["r"]["value"] == "30" and variables["r"]["type"] == "int"


def test_step_in_enters_the_cells_method_and_step_out_returns(session):
    km, kc, dbg, info = session
    caller = "int twice = 2 *\n    total(2);"
    path = cell_file(dbg, info, caller)
    dbg.break_at(path, 2)
    msg_id = kc.execute(caller)
    stopped = dbg.event("stopped")
    assert (dbg.top(stopped)[0]["source"]["path"], dbg.top(stopped)[0]["line"]) == (path, 2)
    dbg.break_at(path)
    dbg.ok("stepIn", {"threadId": stopped["body"]["threadId"]})
    inside = dbg.event("stopped")
    frame = dbg.top(inside)[0]
    assert (frame["name"], frame["line"]) == ("total", 2)  # int acc = 0; the stop check before it is skipped
    dbg.ok("stepOut", {"threadId": inside["body"]["threadId"]})
    out = dbg.event("stopped")
    assert dbg.top(out)[0]["source"]["path"] == path
    dbg.ok("continue", {"threadId": out["body"]["threadId"]})
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"


def test_a_virtual_thread_a_cell_started_stops_at_the_breakpoint_and_is_listed(session):
    km, kc, dbg, info = session
    run_ok(kc, TOTAL)
    total_file = cell_file(dbg, info, TOTAL)
    dbg.break_at(total_file, ACC_LINE)
    msg_id = kc.execute('Thread vt = Thread.ofVirtual().name("vt-cell").start(() -> total(2));\nvt.join();')
    stopped = dbg.event("stopped")
    thread = stopped["body"]["threadId"]
    assert {"id": thread, "name": "vt-cell"} in dbg.ok("threads")["threads"]
    frames = dbg.top(stopped)
    assert (frames[0]["source"]["path"], frames[0]["line"]) == (total_file, ACC_LINE)
    assert any(f["name"] == "lambda" for f in frames), frames
    clear_and_finish(kc, dbg, total_file, thread, msg_id)


def test_a_platform_thread_a_cell_starts_is_reported_started_and_exited(session):
    km, kc, dbg, info = session
    dbg.events.clear()
    run_ok(kc, 'Thread plain = new Thread(() -> {}, "plain");\nplain.start();\nplain.join();')
    started, exited = set(), set()
    while not started & exited:  # each wait is bounded: event() raises after TIMEOUT
        body = dbg.event("thread")["body"]
        (started if body["reason"] == "started" else exited).add(body["threadId"])


def test_an_interrupt_ends_a_cell_whose_thread_waits_at_a_breakpoint(session):
    km, kc, dbg, info = session
    total_file = cell_file(dbg, info, TOTAL)
    dbg.break_at(total_file, ACC_LINE)
    msg_id = kc.execute("long sum = 0;\nfor (int k = 0; k < 1_000_000; k++) sum += total(2);")
    dbg.event("stopped")
    t0 = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=20)
    assert reply["content"]["status"] == "error", reply["content"]
    assert time.monotonic() - t0 < 10
    assert dbg.event("continued")
    dbg.break_at(total_file)
    run_ok(kc, "1 + 1")


def test_pause_stops_a_waiting_thread_and_shows_its_cells_line(session):
    km, kc, dbg, info = session
    waiting = ("var gate = new CountDownLatch(1);\n\n"
               'Thread waiter = Thread.ofPlatform().name("waiter").start(() -> { try { gate.await(); }'
               " catch (InterruptedException e) { } });")
    run_ok(kc, waiting)
    run_ok(kc, "while (waiter.getState() != Thread.State.WAITING) Thread.onSpinWait();")
    dbg.ok("pause", {"threadId": 1})
    paused = dbg.event("stopped")
    assert paused["body"]["reason"] == "pause"
    assert any(t["name"] == "waiter" and t["id"] == paused["body"]["threadId"] for t in dbg.ok("threads")["threads"])
    frames = dbg.top(paused)
    path = cell_file(dbg, info, waiting)
    assert any(f.get("source", {}).get("path") == path and f["line"] == 3 for f in frames), frames
    dbg.ok("continue", {"threadId": paused["body"]["threadId"]})
    run_ok(kc, "gate.countDown();\nwaiter.join(Duration.ofSeconds(20));\nif (waiter.isAlive()) throw new AssertionError();")


def test_pause_says_it_cannot_pause_a_parked_virtual_thread(session):
    km, kc, dbg, info = session
    run_ok(kc, "var vgate = new CountDownLatch(1);\n"
               'Thread parked = Thread.ofVirtual().name("parked").start(() -> { try { vgate.await(); }'
               " catch (InterruptedException e) { } });")
    run_ok(kc, "while (parked.getState() != Thread.State.WAITING) Thread.onSpinWait();")
    refused = dbg.request("pause", {"threadId": 1})
    assert refused["success"] is False, refused
    assert "cannot pause virtual threads (a breakpoint stops them)" in refused["message"]
    assert dbg.ok("debugInfo")["stoppedThreads"] == []
    run_ok(kc, "vgate.countDown();\nparked.join(Duration.ofSeconds(20));\n"
               "if (parked.isAlive()) throw new AssertionError();")


def test_the_thread_list_names_the_threads_cells_started_but_not_the_kernels_idle_cell_thread(session):
    km, kc, dbg, info = session
    run_ok(kc, 'Thread sleeper = Thread.ofPlatform().name("sleeper").daemon(true).start(() -> {'
               " try { Thread.sleep(120_000); } catch (InterruptedException e) { } });")
    names = [t["name"] for t in dbg.ok("threads")["threads"]]
    assert "sleeper" in names, names
    # the user JVM keeps a thread waiting for the next cell; it runs no user code until it becomes cell-N
    assert "next-cell" not in names, ", ".join(names)
    run_ok(kc, "sleeper.interrupt();\nsleeper.join(Duration.ofSeconds(20));\n"
               "if (sleeper.isAlive()) throw new AssertionError();")


def test_a_breakpoint_under_a_cell_magic_stops_at_the_cells_own_line(session):
    km, kc, dbg, info = session
    code = "%%time\nint magic = 6;\nint magicTwice = magic * 2;"
    path = cell_file(dbg, info, code)
    dbg.break_at(path, 3)
    msg_id = kc.execute(code)
    stopped = dbg.event("stopped")
    frame = dbg.top(stopped)[0]
    assert (frame["source"]["path"], frame["line"]) == (path, 3), frame
    dbg.break_at(path)
    dbg.ok("continue", {"threadId": stopped["body"]["threadId"]})
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"


def test_a_silent_execution_takes_no_count_and_makes_no_cell_source(session):
    km, kc, dbg, info = session
    before = run_ok(kc, "int counted = 1;")["content"]["execution_count"]
    quiet = "int quietly = 2;"
    assert shell_reply(kc, kc.execute(quiet, silent=True))["content"]["status"] == "ok"
    path = f"{info['tmpFilePrefix']}{murmur2(quiet, info['hashSeed'])}{info['tmpFileSuffix']}"
    unknown = dbg.request("source", {"source": {"path": path}})
    assert unknown["success"] is False and unknown["message"] == "source unavailable"
    assert run_ok(kc, "int countedAgain = quietly + 1;")["content"]["execution_count"] == before + 1


def test_an_exception_breakpoint_stops_where_a_cells_code_throws(session):
    km, kc, dbg, info = session
    thrower = 'int check(int n) {\n    if (n > 2) {\n        throw new IllegalStateException("too big: " + n);\n    }\n    return n;\n}'
    run_ok(kc, thrower)
    thrower_file = cell_file(dbg, info, thrower)
    dbg.ok("setExceptionBreakpoints", {"filters": ["raised"]})
    try:
        msg_id = kc.execute("int fine = check(1);\nint big = check(5);")
        stopped = dbg.event("stopped")
        assert stopped["body"]["reason"] == "exception", stopped
        assert "IllegalStateException" in stopped["body"]["description"], stopped
        frames = dbg.top(stopped)
        assert (frames[0]["name"], frames[0]["source"]["path"], frames[0]["line"]) == ("check", thrower_file, 3)
        assert dbg.locals(frames[0]) == {"n": "5"}
        dbg.ok("continue", {"threadId": stopped["body"]["threadId"]})
        reply = shell_reply(kc, msg_id)["content"]
        assert reply["status"] == "error" and reply["ename"].endswith("IllegalStateException"), reply
    finally:
        dbg.ok("setExceptionBreakpoints", {"filters": []})
    # without the filter the same throw stops nowhere: a stopped thread would hold the reply back
    reply = shell_reply(kc, kc.execute("int big = check(6);"))["content"]
    assert reply["status"] == "error", reply


def test_rich_inspection_renders_a_table_as_html_and_a_chart_as_png(session):
    km, kc, dbg, info = session
    run_ok(kc, 'Table cores = Table.create("cores", IntColumn.create("workers", new int[] {1, 2}));\n'
               'XYChart speedup = QuickChart.getChart("speedup", "workers", "x", "s", new double[] {1, 2},'
               ' new double[] {1.0, 1.8});')
    table = dbg.ok("richInspectVariables", {"variableName": "cores"})
    assert "<table" in table["data"]["text/html"] and "workers" in table["data"]["text/html"], table
    chart = dbg.ok("richInspectVariables", {"variableName": "speedup"})
    assert base64.b64decode(chart["data"]["image/png"])[:8] == b"\x89PNG\r\n\x1a\n", list(chart["data"])
    missing = dbg.request("richInspectVariables", {"variableName": "noSuchVariable"})
    assert missing["success"] is False and "noSuchVariable" in missing["message"], missing


@pytest.mark.parametrize("check", [test_faults.test_after_an_interrupt_virtual_threads_busy_in_library_code_end_too,
                                   test_faults.test_stop_ends_virtual_threads_busy_in_library_code],
                         ids=["interrupt", "%stop"])
def test_virtual_threads_busy_in_library_code_are_ended_with_the_debugger_on(session, check):
    # the same checks as without the debugger, where the kernel's own forced stop suspends the threads;
    # here the JDWP agent holds that capability and the kernel's debug connection stops them
    km, kc, dbg, info = session
    assert "-agentlib:jdwp" in cmdline(test_faults.user_jvm(km))
    check((km, kc))


def test_evaluate_is_refused_and_disconnect_ends_the_session(session):
    km, kc, dbg, info = session
    refused = dbg.request("evaluate", {"context": "repl", "expression": "r + 1"})
    assert refused["success"] is False and "does not evaluate" in refused["message"]
    dbg.ok("disconnect", {"restart": False, "terminateDebuggee": False})
    dbg.event("terminated")
    assert dbg.ok("debugInfo")["isStarted"] is False
    run_ok(kc, "int after = total(1);")


def test_threads_stop_and_a_crash_of_the_user_jvm_work_while_the_debugger_is_on(kernel_prefix):
    km, kc = start(kernel_prefix)
    try:
        dbg, info = switch_on(kc)
        run_ok(kc, 'Thread spinner = new Thread(() -> { while (true) { Thread.onSpinWait(); } }, "spinner");\n'
                   'spinner.start();')
        assert "spinner" in shown(run(kc, "%threads"))
        assert shown(run(kc, "%stop spinner")).startswith("stopped 1 thread (spinner)")
        assert run(kc, "spinner.isAlive()").result() == "false"

        crash = run(kc, "Runtime.getRuntime().halt(5);", timeout=120)
        assert crash.ename == "UserJvmExited" and "restarted" in crash.evalue, crash.reply["content"]
        assert run(kc, "1+1").result() == "2"
        # the new user JVM's debug connection serves the same session: a breakpoint stops there
        run_ok(kc, TOTAL)
        total_file = cell_file(dbg, info, TOTAL)
        dbg.break_at(total_file, ACC_LINE)
        msg_id = kc.execute("int after = total(2);")
        stopped = dbg.event("stopped", timeout=60)
        assert (dbg.top(stopped)[0]["source"]["path"], dbg.top(stopped)[0]["line"]) == (total_file, ACC_LINE)
        clear_and_finish(kc, dbg, total_file, stopped["body"]["threadId"], msg_id)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def shown(cell) -> str:
    """A cell's streams and the text of its results and displays."""
    return cell.stream() + "".join(m["content"].get("data", {}).get("text/plain", "") for m in cell.messages)
