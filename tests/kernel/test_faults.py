"""Fault tests of the java-concurrency kernel through the real protocol (jupyter_client).

Each test names a way kernels break under concurrency (KERNEL.md, issue "Kernel under concurrency")
and fails on a kernel that has that weakness: interrupts that do not stop the cell, output from
threads that is lost, crashes of the user JVM that kill the kernel, processes left behind.
Waits are bounded; nothing sleeps to synchronise.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

KERNEL = "java-concurrency"
TIMEOUT = 60


# ---- helpers -------------------------------------------------------------------------------------

class Cell:
    """One execute_request: its reply and every iopub message of it up to idle."""

    def __init__(self, reply, messages, seconds):
        self.reply = reply
        self.messages = messages
        self.seconds = seconds

    @property
    def status(self):
        return self.reply["content"]["status"]

    @property
    def ename(self):
        return self.reply["content"].get("ename")

    @property
    def evalue(self):
        return self.reply["content"].get("evalue", "")

    def stream(self, name=None):
        return "".join(m["content"]["text"] for m in self.messages
                       if m["msg_type"] == "stream" and (name is None or m["content"]["name"] == name))

    def result(self):
        for m in self.messages:
            if m["msg_type"] == "execute_result":
                return m["content"]["data"]["text/plain"]
        return None


def collect(kc, msg_id, timeout=TIMEOUT, until=None):
    """IOPub messages of msg_id up to its idle status, or, given `until`, up to when until(messages) holds."""
    deadline = time.monotonic() + timeout
    out = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no idle for {msg_id} within {timeout} s")
        try:
            msg = kc.get_iopub_msg(timeout=min(left, 1.0))
        except Exception:  # queue.Empty: keep waiting until the deadline
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        out.append(msg)
        if until is not None and until(out):
            return out
        if until is None and msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return out


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        reply = kc.get_shell_msg(timeout=max(0.01, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def wait_for(condition, seconds=20):
    """Whether `condition()` became true within `seconds` (checked every 20 ms)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def run(kc, code, timeout=TIMEOUT):
    t0 = time.monotonic()
    msg_id = kc.execute(code)
    reply = shell_reply(kc, msg_id, timeout)
    messages = collect(kc, msg_id, timeout)
    return Cell(reply, messages, time.monotonic() - t0)


def interrupt_when_started(km, kc, code, marker="started"):
    """Runs `code`, which prints `marker` and then blocks; interrupts it; returns (cell, latency s)."""
    msg_id = kc.execute(code)
    before = collect(kc, msg_id, TIMEOUT, until=lambda ms: any(
        m["msg_type"] == "stream" and marker in m["content"]["text"] for m in ms))
    t0 = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, 20)
    latency = time.monotonic() - t0
    rest = collect(kc, msg_id, 20)
    return Cell(reply, before + rest, latency), latency



def start_logged(log):
    """A kernel whose log goes to the file `log`: (km, kc), ready."""
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(env={**os.environ, "JCN_KERNEL_LOG": str(log)})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc

def children(pid):
    """Direct children of pid, from /proc."""
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            kids.append(int(entry.name))
    return kids


def descendants(pid):
    found, todo = [], [pid]
    while todo:
        for kid in children(todo.pop()):
            found.append(kid)
            todo.append(kid)
    return found


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def user_jvm(km):
    """The pid of the kernel's user JVM (the child running the agent)."""
    kernel_pid = km.provisioner.process.pid
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        for pid in children(kernel_pid):
            line = cmdline(pid)
            # the kernel may also be training its start-up cache with the same main class
            if "dev.jcn.kernel.agent.AgentMain" in line and "--train-aot-cache" not in line:
                return pid
    raise AssertionError("no user JVM under the kernel")


# The JVM's own threads: a fresh user JVM's JIT compilers keep working on what the first cells ran.
JVM_THREADS = ("C1 CompilerThre", "C2 CompilerThre", "GC Thread", "G1 ", "VM ", "Reference Handl",
               "Finalizer", "Signal Dispatch", "Service Thread", "Monitor Deflati", "Common-Cleaner")


def application_cpu_seconds(pid):
    """CPU time so far of the threads of pid that run Java code (not the JVM's compilers and collector)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended while we looked
        if not name.startswith(JVM_THREADS):
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def start(kernel_prefix):
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


@pytest.fixture(scope="module")
def kernel(kernel_prefix):
    km, kc = start(kernel_prefix)
    assert run(kc, "1 + 1").result() == "2"
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def assert_serving(kc):
    cell = run(kc, "List.of(1, 2).size() + new AtomicInteger(1).get()")
    assert cell.status == "ok", cell.reply["content"]
    assert cell.result() == "3"


# ---- interrupts ----------------------------------------------------------------------------------

INTERRUPTIBLE = {
    "cpu loop in the cell": "{ System.out.println(\"started\"); long n = 0; while (true) { n++; } }",
    "sleep": "{ System.out.println(\"started\"); Thread.sleep(600_000); }",
    "latch": "{ System.out.println(\"started\"); new CountDownLatch(1).await(); }",
    "loop inside library code": "{ System.out.println(\"started\"); new BigInteger(\"3\").pow(60_000_000); }",
    "join on a thread that never ends": """
        var endless = Thread.ofPlatform().name("endless").start(() -> { while (true) { new BigInteger("7").pow(100_000); } });
        { System.out.println("started"); endless.join(); }
        """,
    "printing forever": "{ System.out.println(\"started\"); while (true) System.out.println(\"again and again\"); }",
}


@pytest.mark.parametrize("what", list(INTERRUPTIBLE))
def test_interrupt_stops_the_cell_within_a_second(kernel, what):
    km, kc = kernel
    cell, latency = interrupt_when_started(km, kc, INTERRUPTIBLE[what])
    assert cell.status == "error" and cell.ename == "Interrupted", cell.reply["content"]
    assert latency < 1.5, f"{what}: the interrupt took {latency:.2f} s"
    assert_serving(kc)


def test_interrupt_stops_a_wait_on_a_lock(kernel):
    km, kc = kernel
    hold = run(kc, """
        var held = new java.util.concurrent.locks.ReentrantLock();
        var taken = new CountDownLatch(1);
        var holder = Thread.ofPlatform().daemon().name("holder").start(() -> {
            held.lock(); taken.countDown();
            while (true) { try { Thread.sleep(600_000); } catch (InterruptedException e) { } }
        });
        taken.await();
        """)
    assert hold.status == "ok", hold.reply["content"]
    cell, latency = interrupt_when_started(km, kc, "{ System.out.println(\"started\"); held.lock(); }")
    assert cell.ename == "Interrupted" and "step 2" in cell.evalue, cell.reply["content"]
    assert latency < 1.5
    assert_serving(kc)


def test_after_an_interrupt_no_core_burns_for_the_cell(kernel):
    km, kc = kernel
    cell, _ = interrupt_when_started(km, kc, """
        for (int i = 0; i < 2; i++) Thread.ofPlatform().name("burner-" + i).start(() -> { while (true) { new BigInteger("7").pow(100_000); } });
        { System.out.println("started"); new CountDownLatch(1).await(); }
        """)
    assert cell.ename == "Interrupted"
    pid = user_jvm(km)
    # the burners end (bounded wait): then nothing of the cell can use a core any more
    deadline = time.monotonic() + 10
    while (burners := thread_names(pid, "burner-")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not burners, f"still alive after the interrupt: {burners}"
    # a measurement over a fixed window, not a synchronisation: two spinning threads would use
    # ~2 s; the JVM's JIT compilers (still busy with a fresh JVM's first cells) are not counted
    before = application_cpu_seconds(pid)
    time.sleep(1.0)
    used = application_cpu_seconds(pid) - before
    assert used < 0.5, f"the user JVM's threads used {used:.2f} s of CPU in 1 s after the interrupt"


def test_after_an_interrupt_virtual_threads_busy_in_library_code_end_too(kernel):
    km, kc = kernel
    cell, _ = interrupt_when_started(km, kc, """
        var vburners = new ArrayList<Thread>();
        // an endless loop inside the JDK: method references add no cell code, so no stop checks
        for (int i = 0; i < 2; i++) vburners.add(Thread.ofVirtual().start(
            () -> LongStream.range(0, Long.MAX_VALUE).mapToObj(BigInteger::valueOf).reduce(BigInteger.ZERO, BigInteger::add)));
        { System.out.println("started"); new CountDownLatch(1).await(); }
        """)
    assert cell.ename == "Interrupted"
    # the stream checks no interrupt and runs no cell code: only the forced stop ends it
    deadline = time.monotonic() + 10
    alive = run(kc, "vburners.stream().filter(Thread::isAlive).count()").result()
    while alive != "0" and time.monotonic() < deadline:
        alive = run(kc, "vburners.stream().filter(Thread::isAlive).count()").result()
    assert alive == "0", f"{alive} virtual threads still busy after the interrupt"
    pid = user_jvm(km)
    before = application_cpu_seconds(pid)
    time.sleep(1.0)  # a measurement window, as above
    used = application_cpu_seconds(pid) - before
    assert used < 0.5, f"the user JVM's threads used {used:.2f} s of CPU in 1 s after the interrupt"


def test_stop_ends_virtual_threads_busy_in_library_code(kernel):
    km, kc = kernel
    cell = run(kc, """
        var sburners = new ArrayList<Thread>();
        // inside the JDK, no cell code, so no stop checks: only a forced stop ends them (in debug mode,
        // where the JDWP agent holds the capability to suspend them, through the kernel's debug connection)
        for (int i = 0; i < 2; i++) sburners.add(Thread.ofVirtual().name("sburner-" + i).start(
            () -> LongStream.range(0, Long.MAX_VALUE).mapToObj(BigInteger::valueOf).reduce(BigInteger.ZERO, BigInteger::add)));
        sburners.size()
        """)
    assert cell.result() == "2", cell.reply["content"]
    shown = run(kc, "%stop").messages
    stop = "".join(m["content"].get("text", "") + m["content"].get("data", {}).get("text/plain", "") for m in shown)
    assert "sburner-0" in stop and "sburner-1" in stop, stop
    forced = re.search(r"; (\d+) of them ignored the interrupt and were stopped by force", stop)
    assert forced and int(forced.group(1)) >= 2, stop
    assert "still alive" not in stop, stop
    assert run(kc, "sburners.stream().filter(Thread::isAlive).count()").result() == "0"


def thread_names(pid, prefix):
    """Names of the threads of process pid that start with prefix (Linux keeps 15 characters)."""
    names = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
        except OSError:
            continue  # the thread ended while we looked
        if name.startswith(prefix):
            names.append(name)
    return names


# ---- output --------------------------------------------------------------------------------------

def test_thread_output_between_cells_reaches_the_cell_that_started_it(kernel):
    km, kc = kernel
    msg_id = kc.execute("""
        Thread.ofPlatform().name("later").start(() -> {
            try { Thread.sleep(300); } catch (InterruptedException e) { }
            System.out.println("printed after the cell ended");
        });
        """)
    shell_reply(kc, msg_id)
    messages = collect(kc, msg_id, 20, until=lambda ms: any(
        m["msg_type"] == "stream" and "printed after the cell ended" in m["content"]["text"] for m in ms))
    assert any("printed after the cell ended" in m["content"].get("text", "") for m in messages)


def execute_as(kc, code, allow_stdin, cell_id=None):
    """Sends an execute_request the way a frontend does: JupyterLab allows input and names the cell
    in the metadata; nbclient allows no input and names nothing."""
    content = dict(code=code, silent=False, store_history=True, user_expressions={},
                   allow_stdin=allow_stdin, stop_on_error=True)
    msg = kc.session.msg("execute_request", content, metadata={"cellId": cell_id} if cell_id else {})
    kc.shell_channel.send(msg)
    return msg["header"]["msg_id"]


def run_as(kc, code, allow_stdin, cell_id=None):
    msg_id = execute_as(kc, code, allow_stdin, cell_id)
    reply = shell_reply(kc, msg_id)
    return msg_id, Cell(reply, collect(kc, msg_id), 0)


FIRST_CELL_WITH_A_WAITING_THREAD = """
    var go = new CountDownLatch(1);
    var done = new CountDownLatch(1);
    Thread.ofPlatform().name("worker-of-first").start(() -> {
        try { go.await(); } catch (InterruptedException e) { }
        System.out.println("hello from the first cell's thread");
        done.countDown();
    });
    """


def test_thread_output_during_a_later_cell_is_labelled_for_headless_clients(kernel):
    km, kc = kernel
    _, first = run_as(kc, FIRST_CELL_WITH_A_WAITING_THREAD, allow_stdin=False)
    assert first.status == "ok"
    _, second = run_as(kc, "go.countDown(); done.await();", allow_stdin=False)
    assert "[worker-of-first, cell " in second.stream("stdout")
    assert "hello from the first cell's thread" in second.stream("stdout")


def test_thread_output_during_a_later_cell_goes_to_the_starting_cell_for_interactive_frontends(kernel):
    km, kc = kernel
    first_id, first = run_as(kc, FIRST_CELL_WITH_A_WAITING_THREAD, allow_stdin=True, cell_id="first")
    assert first.status == "ok"
    second_id = execute_as(kc, "go.countDown(); done.await();", allow_stdin=True, cell_id="second")
    shell_reply(kc, second_id)
    # Bounded waits on both parents: the line must show under the first cell's request, and the
    # second cell's messages up to its idle must not carry it.
    seen = {first_id: [], second_id: []}
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=1.0)
        except Exception:  # queue.Empty
            continue
        parent = msg["parent_header"].get("msg_id")
        if parent in seen:
            seen[parent].append(msg)
        texts = {p: "".join(m["content"].get("text", "") for m in ms if m["msg_type"] == "stream")
                 for p, ms in seen.items()}
        second_idle = any(m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"
                          for m in seen[second_id])
        if second_idle and "hello from the first cell's thread" in texts[first_id]:
            break
    assert "hello from the first cell's thread" in texts[first_id]
    assert "[worker-of-first" not in texts[first_id]
    assert "hello from the first cell's thread" not in texts[second_id]


def test_flood_from_four_threads_arrives_complete_in_order_and_coalesced(kernel):
    km, kc = kernel
    per_thread = 25_000
    cell = run(kc, """
        var floods = new ArrayList<Thread>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            floods.add(Thread.ofPlatform().name("flood-" + id).start(() -> {
                for (int i = 0; i < %d; i++) System.out.println("f" + id + " " + i);
            }));
        }
        for (Thread t : floods) t.join();
        """ % per_thread, timeout=120)
    assert cell.status == "ok", cell.reply["content"]
    streams = [m for m in cell.messages if m["msg_type"] == "stream"]
    lines = "".join(m["content"]["text"] for m in streams).splitlines()
    for w in range(4):
        mine = [line for line in lines if line.startswith(f"f{w} ")]
        assert len(mine) == per_thread, f"thread {w}: {len(mine)} of {per_thread} lines"
        assert mine == [f"f{w} {i}" for i in range(per_thread)], f"thread {w}: out of order"
    rate = len(streams) / max(cell.seconds, 1.0)
    assert rate <= 250, f"{len(streams)} stream messages in {cell.seconds:.1f} s"
    assert cell.seconds < 30


def test_ten_thousand_virtual_and_two_hundred_platform_threads_do_not_break_the_kernel(kernel):
    km, kc = kernel
    _, crowd = run_as(kc, """
        var gate = new CountDownLatch(1);
        var crowd = new ArrayList<Thread>();
        Runnable waitThenSay = () -> {
            try { gate.await(); } catch (InterruptedException e) { return; }
            System.out.println("done " + Thread.currentThread().getName());
        };
        for (int i = 0; i < 10_000; i++) crowd.add(Thread.ofVirtual().name("crowd-v" + i).start(waitThenSay));
        for (int i = 0; i < 200; i++) crowd.add(Thread.ofPlatform().name("crowd-p" + i).start(waitThenSay));
        crowd.size()
        """, allow_stdin=False)
    assert crowd.status == "ok", crowd.reply["content"]
    _, listing = run_as(kc, "%threads", allow_stdin=False)
    text = "".join(m["content"].get("data", {}).get("text/plain", "") for m in listing.messages)
    assert "virtual, WAITING: 10000" in text and "platform, WAITING: 200" in text, text[-400:]
    # every thread says one line while the next cell waits for them all: all 10,200 lines arrive
    _, joined = run_as(kc, "gate.countDown(); for (Thread t : crowd) t.join(); crowd.stream().filter(Thread::isAlive).count()",
                       allow_stdin=False)
    assert joined.result() == "0"
    lines = [l for l in joined.stream("stdout").splitlines() if "done crowd-" in l]
    assert len(lines) == 10_200
    assert len({l.rsplit(" ", 1)[1] for l in lines}) == 10_200
    assert_serving(kc)


def test_child_process_output_is_relayed(kernel):
    km, kc = kernel
    cell = run(kc, 'new ProcessBuilder("sh", "-c", "echo child-says-hello").inheritIO().start().waitFor()')
    assert cell.status == "ok"
    if "child-says-hello" not in cell.stream():
        later = collect(kc, cell.reply["parent_header"]["msg_id"], 10, until=lambda ms: any(
            "child-says-hello" in m["content"].get("text", "") for m in ms))
        assert any("child-says-hello" in m["content"].get("text", "") for m in later)


def test_output_of_a_child_started_with_the_helpers_is_relayed_live(kernel):
    km, kc = kernel
    # the child says one line, then waits for the cell to see it: only live relaying lets the cell end
    msg_id = kc.execute("""
        try (var child = ChildProcess.start("sh", "-c", "echo child-line-one; read reply; echo child-line-two")) {
            System.out.println("child started");
            child.waitFor(java.time.Duration.ofSeconds(30));
        }
        """)
    seen = collect(kc, msg_id, TIMEOUT, until=lambda ms: any(
        "child-line-one" in m["content"].get("text", "") for m in ms))
    assert any("child-line-one" in m["content"].get("text", "") for m in seen)
    km.interrupt_kernel()  # the child waits for input that never comes; interrupting ends the cell
    reply = shell_reply(kc, msg_id, 20)
    assert reply["content"]["status"] == "error"
    assert_serving(kc)


def test_uncaught_exception_in_a_thread_is_shown(kernel):
    km, kc = kernel
    cell = run(kc, """
        void explode() { throw new IllegalStateException("kaboom"); }
        Thread.ofPlatform().name("doomed").start(() -> explode()).join();
        """)
    err = cell.stream("stderr")
    assert 'Exception in thread "doomed"' in err and "IllegalStateException: kaboom" in err
    assert "dev.jcn.kernel" not in err


# ---- crashes -------------------------------------------------------------------------------------

CRASHES = {
    "System.exit": ("System.exit(3);", "System.exit(3)"),
    "Runtime.halt": ("Runtime.getRuntime().halt(5);", "status 5"),
    "OutOfMemoryError": ("var hog = new ArrayList<long[]>(); while (true) hog.add(new long[50_000_000]);", "out of memory"),
}


@pytest.mark.parametrize("what", list(CRASHES))
def test_a_crash_of_the_user_jvm_is_survived(kernel, what):
    km, kc = kernel
    code, expected = CRASHES[what]
    cell = run(kc, code, timeout=120)
    assert cell.status == "error" and cell.ename == "UserJvmExited", cell.reply["content"]
    assert expected in cell.evalue and "restarted" in cell.evalue
    assert km.is_alive()
    assert_serving(kc)


def test_stack_overflow_is_reported_and_state_kept(kernel):
    km, kc = kernel
    assert run(kc, "int keep = 41;").status == "ok"
    cell = run(kc, "int down(int n) { return down(n + 1) + 1; }\ndown(0)")
    assert cell.ename == "java.lang.StackOverflowError"
    assert run(kc, "keep + 1").result() == "42"


def test_user_jvm_killed_from_outside_is_survived(kernel):
    km, kc = kernel
    msg_id = kc.execute('{ System.out.println("started"); Thread.sleep(600_000); }')
    collect(kc, msg_id, TIMEOUT, until=lambda ms: any(
        m["msg_type"] == "stream" and "started" in m["content"]["text"] for m in ms))
    os.kill(user_jvm(km), 9)
    reply = shell_reply(kc, msg_id, 30)
    assert reply["content"]["ename"] == "UserJvmExited" and "signal 9" in reply["content"]["evalue"]
    collect(kc, msg_id, 20)
    assert_serving(kc)


# ---- processes left behind ------------------------------------------------------------------------

def test_restart_and_shutdown_leave_no_process_behind(kernel_prefix):
    km, kc = start(kernel_prefix)
    try:
        spawn = 'new ProcessBuilder("sh", "-c", "sleep 600 & sleep 600").start().pid()'
        assert run(kc, spawn).status == "ok"
        kernel_pid = km.provisioner.process.pid
        deadline = time.monotonic() + 20
        tree = descendants(kernel_pid)
        while len([p for p in tree if cmdline(p).startswith("sleep 600")]) < 2 and time.monotonic() < deadline:
            tree = descendants(kernel_pid)
        assert len([p for p in tree if cmdline(p).startswith("sleep 600")]) == 2, [cmdline(p) for p in tree]
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=TIMEOUT)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in tree) and time.monotonic() < deadline:
            pass
        assert [p for p in tree if alive(p)] == [], "left behind by restart: " + str([cmdline(p) for p in tree if alive(p)])

        assert run(kc, spawn).status == "ok"
        kernel_pid = km.provisioner.process.pid
        deadline = time.monotonic() + 20
        tree = [kernel_pid] + descendants(kernel_pid)
        while len([p for p in tree if cmdline(p).startswith("sleep 600")]) < 2 and time.monotonic() < deadline:
            tree = [kernel_pid] + descendants(kernel_pid)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    deadline = time.monotonic() + 10
    while any(alive(p) for p in tree) and time.monotonic() < deadline:
        pass
    assert [p for p in tree if alive(p)] == [], "left behind by shutdown: " + str([cmdline(p) for p in tree if alive(p)])
