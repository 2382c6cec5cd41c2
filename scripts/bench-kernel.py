#!/usr/bin/env python3
"""Benchmark of the java-concurrency Jupyter kernel, through jupyter_client as a frontend sees it.

Prints, each figure with the machine's 1-minute load average when it was taken:
  start -> kernel_info_reply   median of N fresh kernel processes
  start -> first `1+1` result  the same starts, up to the first cell's reply and idle (the user JVM's
                               start-up included)
  JShell's own first `1+1`     the floor of that: a fresh JVM that builds a JShell, evaluates `1+1` and
                               prints it (scripts/JShellFloor.java --cold, on the cells' class path, with an
                               AOT cache made by one run of the same program), spawned in turns with the
                               kernel's starts; without imports and with the kernel's default imports (read
                               from the kernel log), and the ratio of the kernel's median to the latter
  start timeline               medians over the starts, in ms after spawn, from the kernel log: the kernel's
                               main, the user JVM launched, its main, JShell built, imports compiled, ready,
                               and the first result; and in how many starts the user JVM's start-up cache was
                               used (`make bench-kernel` installs the kernelspec first, which makes it)
  warm `1+1` round trip        p50/p95 over M runs: execute_request sent -> reply and idle received, after
                               WARM_UPS untimed cells
  complete / inspect           p50/p95 of 40 round trips each (`ex.sub`, `Thread.ofVirtual()`), on a
                               warm kernel while no cell runs and while a cell sleeps
  JShell's own eval of `1+1`   the floor: JShell in one process, no kernel (scripts/JShellFloor.java,
                               same JDK, as many warm-ups), timed in turns with the warm `1+1` so that each
                               pair meets the same load; and the ratio warm p50 / floor p50; again with the
                               kernel's default imports declared first on the cells' class path (each of
                               the kernel's cells compiles with them), in the same turns, and that ratio
  shutdown                     shutdown_request sent -> kernel process gone
plus the figures registered in EXTRA_BENCHMARKS (interrupt latency, output flood, a widget slider's round
trip, progress coalescing, ...).

Usage:
  python3 scripts/bench-kernel.py [--kernel-name java-concurrency] [--starts 5] [--warm 50] [--starts-only]
                                  [--record FILE]
--record appends the figures to FILE (e.g. BENCHMARKS.md) as a dated Markdown section.
The kernelspec must be installed (`make install-kernel`), or found through JUPYTER_PATH.
"""

import argparse
import os
import platform
import re
import shutil
import tempfile
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

TIMEOUT = 60


def wait_reply(kc, msg_id, timeout=TIMEOUT):
    """The shell reply to msg_id (earlier replies, e.g. to kernel_info, are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        reply = kc.get_shell_msg(timeout=max(0.01, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def wait_idle(kc, msg_id, timeout=TIMEOUT):
    """IOPub messages of msg_id up to its idle status."""
    deadline = time.monotonic() + timeout
    out = []
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        out.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return out


def run_cell(kc, code, timeout=TIMEOUT):
    """Runs code; returns (seconds until reply and idle, reply, iopub messages)."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    reply = wait_reply(kc, msg_id, timeout)
    iopub = wait_idle(kc, msg_id, timeout)
    return time.perf_counter() - t0, reply, iopub


def start_kernel(name, log=None):
    """Starts a fresh kernel (logging to `log` if given); returns (km, kc, perf_counter at spawn, seconds from
    spawn to kernel_info_reply)."""
    km = KernelManager(kernel_name=name)
    options = {"env": {**os.environ, "JCN_KERNEL_LOG": str(log)}} if log else {}
    t0 = time.perf_counter()
    km.start_kernel(**options)
    kc = km.client()
    kc.start_channels()
    wait_reply(kc, kc.kernel_info())
    elapsed = time.perf_counter() - t0
    # IOPub subscriptions connect lazily; this makes sure cell output can be seen from here on.
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc, t0, elapsed


def load():
    """The 1-minute load average now."""
    return os.getloadavg()[0]


# Untimed `1+1` evaluations before the timed ones, in the kernel and in JShell's own process alike: both
# compile with a JIT that is still warming up, so the two are compared after the same number.
WARM_UPS = 20


class JShellFloor:
    """JShell's own eval of `1+1` in a process of its own (scripts/JShellFloor.java --paced), with the
    kernel's JDK, warmed up and then timed one evaluation at a time: from source with nothing on its class
    path and no imports, or (`cold` given) from the cold floor's jar on the cells' class path with `imports`
    declared first, as the kernel declares its default imports."""

    def __init__(self, kernel_name, warm_ups, cold=None, imports=()):
        java = KernelSpecManager().get_kernel_spec(kernel_name).argv[0]
        program = Path(__file__).resolve().parent / "JShellFloor.java"
        launch = [java, str(program)] if cold is None else [java, *cold.OPTIONS, "-cp", cold.class_path, "JShellFloor"]
        self.process = subprocess.Popen([*launch, "1+1", str(warm_ups), "0", "--paced", *imports],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        if self.process.stdout.readline().strip() != "ready":
            self.close()
            sys.exit("bench-kernel: scripts/JShellFloor.java did not start")

    def eval(self):
        """Seconds of one evaluation."""
        self.process.stdin.write("\n")
        return int(self.process.stdout.readline()) / 1e9

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=TIMEOUT)


class ColdFloor:
    """JShell's own cold start to its first `1+1` (scripts/JShellFloor.java --cold): compiled into a jar,
    run on the cells' class path with the user JVM's kind of options and an AOT cache made for each set of
    imports by one run of the same command, as the user JVM's is made by one run of its own start."""

    OPTIONS = ["--enable-preview", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"]

    def __init__(self, kernel_name):
        argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
        self.java = argv[0]
        kernel_jar = Path(argv[argv.index("-cp") + 1].split(os.pathsep)[0])
        cells = sorted(str(p) for p in (kernel_jar.parent / "cell").glob("*.jar") if not p.name.endswith("-sources.jar"))
        self.dir = Path(tempfile.mkdtemp(prefix="jcn-cold-floor-"))
        javac = Path(self.java).with_name("javac")
        program = Path(__file__).resolve().parent / "JShellFloor.java"
        subprocess.run([str(javac), "-d", str(self.dir / "classes"), str(program)], check=True)
        subprocess.run([str(javac.with_name("jar")), "cf", str(self.dir / "floor.jar"), "-C", str(self.dir / "classes"), "."],
                       check=True)
        self.class_path = os.pathsep.join([str(self.dir / "floor.jar"), *cells])
        self.trained = set()

    def _command(self, imports, cache_option):
        return [self.java, *self.OPTIONS, cache_option, "-Xlog:aot=off", "-Xlog:cds=off", "-cp", self.class_path,
                "JShellFloor", "--cold", "1+1", *imports]

    def first_result(self, imports):
        """Seconds from spawn to JShell's first `1+1` printed, in a fresh JVM with `imports` declared first."""
        cache = self.dir / f"floor-{len(imports)}.aot"
        if cache not in self.trained:
            subprocess.run(self._command(imports, f"-XX:AOTCacheOutput={cache}"), check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=TIMEOUT)
            self.trained.add(cache)
        t0 = time.perf_counter()
        process = subprocess.Popen(self._command(imports, f"-XX:AOTCache={cache}"), stdout=subprocess.PIPE, text=True)
        line = process.stdout.readline().strip()
        elapsed = time.perf_counter() - t0
        process.wait(timeout=TIMEOUT)
        if line != "2":
            sys.exit(f"bench-kernel: JShell's cold start printed {line!r} instead of 2")
        return elapsed

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


# Lines of the kernel log that mark a start's steps (see the kernel's Main, UserJvm and the agent's StartupSteps).
_LOG_LINE = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \[[^]]*\] \w+ \S+ - (.*)")
_STEPS = re.compile(r"start-up, ms after main: (.*?);")


def start_timeline(log, spawned_at, first_result):
    """{step: ms after spawn} of one start, from its kernel log; `spawned_at` is the wall clock at spawn."""
    steps, imports = {}, []
    for line in Path(log).read_text(encoding="utf-8", errors="replace").splitlines():
        m = _LOG_LINE.match(line)
        if not m:
            continue
        at = (datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp() - spawned_at) * 1000
        text = m.group(2)
        if "kernel main" not in steps and " starting, pid " in text:
            steps["kernel main"] = at
        elif "user JVM launched" not in steps and text.startswith("starting a user JVM"):
            steps["user JVM launched"] = at
            steps["cache used"] = text.endswith(": used")
        elif re.match(r"user JVM \d+ ready in ", text) and "ready" not in steps:
            steps["ready"] = at
        elif (after := _STEPS.search(text)) and "user main" not in steps:
            # each step "name ms" or "name ms [ran/waited]"
            marks = dict((k.strip(), int(v)) for k, v in
                         (re.sub(r" \[\d+/\d+\]$", "", p).rsplit(" ", 1) for p in after.group(1).split(", ")))
            main = steps.get("ready", at) - marks.get("ready", 0)
            steps["user main"] = main
            for mark, label in (("JShell", "JShell built"), ("imported", "imports compiled")):
                if mark in marks:
                    steps[label] = main + marks[mark]
        elif text.startswith("user JVM") and "default imports: " in text and not imports:
            imports = text.split("default imports: ", 1)[1].split(", ")
    steps["first result"] = first_result * 1000
    return steps, imports


TIMELINE = ["kernel main", "user JVM launched", "user main", "JShell built", "imports compiled", "ready", "first result"]


def stop_kernel(km, kc):
    """Asks for shutdown; returns seconds until the process is gone."""
    t0 = time.perf_counter()
    kc.shutdown()
    while km.is_alive() and time.perf_counter() - t0 < 10:
        time.sleep(0.005)
    elapsed = time.perf_counter() - t0
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return elapsed


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


# Extra figures: each entry is (label, function(km, kc) -> str), run on a warm kernel in order.
# The runtime side adds its measurements here, e.g. interrupt latency for a CPU loop (median of 5)
# and the 100,000-line output flood (lines delivered, iopub messages, seconds).
EXTRA_BENCHMARKS = []


# ---- runtime figures: interrupts and the output flood -------------------------------------------

def _interrupt_latency(km, kc, code, runs=5):
    """Seconds from interrupt_request to execute_reply for `code`, which prints "started" first."""
    latencies, steps = [], []
    for _ in range(runs):
        msg_id = kc.execute(code)
        deadline = time.monotonic() + TIMEOUT
        while True:
            msg = kc.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream"
                    and "started" in msg["content"]["text"]):
                break
        t0 = time.perf_counter()
        km.interrupt_kernel()
        reply = wait_reply(kc, msg_id)
        latencies.append(time.perf_counter() - t0)
        wait_idle(kc, msg_id)
        evalue = reply["content"].get("evalue", "")
        steps.append("step 2" if "step 2" in evalue else "step 3" if "step 3" in evalue else "step 1")
    return f"median {statistics.median(latencies) * 1000:.0f} ms  (max {max(latencies) * 1000:.0f} ms, {steps[0]})"


def interrupt_cpu_loop(km, kc):
    return _interrupt_latency(km, kc, '{ System.out.println("started"); long n = 0; while (true) { n++; } }')


def interrupt_lock_wait(km, kc):
    run_cell(kc, """
        var benchLock = new java.util.concurrent.locks.ReentrantLock();
        var benchTaken = new CountDownLatch(1);
        Thread.ofPlatform().daemon().name("bench-holder").start(() -> {
            benchLock.lock(); benchTaken.countDown();
            while (true) { try { Thread.sleep(600_000); } catch (InterruptedException e) { } }
        });
        benchTaken.await();
        """)
    return _interrupt_latency(km, kc, '{ System.out.println("started"); benchLock.lock(); }')


def interrupt_library_loop(km, kc):
    return _interrupt_latency(km, kc, '{ System.out.println("started"); new BigInteger("3").pow(60_000_000); }')


def output_flood(km, kc):
    """100,000 lines from 4 threads: lines delivered, stream messages, seconds."""
    seconds, reply, iopub = run_cell(kc, """
        var benchFlood = new ArrayList<Thread>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            benchFlood.add(Thread.ofPlatform().start(() -> { for (int i = 0; i < 25_000; i++) System.out.println("t" + id + " line " + i); }));
        }
        for (Thread t : benchFlood) t.join();
        """, timeout=180)
    streams = [m for m in iopub if m["msg_type"] == "stream"]
    lines = sum(m["content"]["text"].count("\n") for m in streams)
    return (f"{lines} of 100000 lines, {len(streams)} stream messages in {seconds:.2f} s "
            f"({len(streams) / seconds:.0f} msg/s)")


EXTRA_BENCHMARKS += [
    ("interrupt: CPU loop", interrupt_cpu_loop),
    ("interrupt: lock wait", interrupt_lock_wait),
    ("interrupt: library loop", interrupt_library_loop),
    ("flood 4 x 25,000 lines", output_flood),
]


# ---- editing figures: completion and inspection, idle and while a cell runs ---------------------

EDITING_RUNS = 40
# completion of `ex.sub` (ex an ExecutorService: three overloads with names from src.zip) and
# inspection of `Thread.ofVirtual()` (javadoc with tags, a snippet, an API note)
EDITING_QUESTIONS = {
    "complete": lambda kc: kc.complete("ex.sub", 6),
    "inspect": lambda kc: kc.inspect("Thread.ofVirtual()", 18),
}


def _question_times(kc, ask):
    """p50/p95 of EDITING_RUNS round trips of one question (request sent -> reply received)."""
    times = []
    for _ in range(EDITING_RUNS):
        t0 = time.perf_counter()
        wait_reply(kc, ask(kc))
        times.append(time.perf_counter() - t0)
    return f"p50 {statistics.median(times) * 1000:.1f} ms  p95 {percentile(times, 95) * 1000:.1f} ms  (n={len(times)})"


def editing_idle(ask):
    def figure(km, kc):
        run_cell(kc, "ExecutorService ex = Executors.newSingleThreadExecutor();")
        for _ in range(3):
            wait_reply(kc, ask(kc))  # warm: the first answer parses the class's sources
        return _question_times(kc, ask)
    return figure


def editing_while_running(ask):
    def figure(km, kc):
        running = kc.execute('System.out.println("started"); Thread.sleep(600_000);')
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            msg = kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") == running and msg["msg_type"] == "stream":
                break
        try:
            return _question_times(kc, ask)
        finally:
            km.interrupt_kernel()
            wait_reply(kc, running)
            wait_idle(kc, running)
    return figure


for _label, _ask in EDITING_QUESTIONS.items():
    EXTRA_BENCHMARKS += [(f"{_label}, idle", editing_idle(_ask)),
                         (f"{_label}, cell running", editing_while_running(_ask))]


# ---- widget figures: a slider's round trip and coalesced progress ---------------------------------

def _send_comm(kc, msg_type, content):
    return kc.session.send(kc.shell_channel.socket, msg_type, content)["header"]["msg_id"]


def _comm_opens(iopub):
    return {m["content"]["data"]["state"]["_model_name"]: m["content"]["comm_id"]
            for m in iopub if m["msg_type"] == "comm_open"}


def slider_round_trip(km, kc, runs=50, warm_ups=10):
    """A slider change sent as JupyterLab sends it -> listener run in the user JVM -> echo and idle: p50/p95
    of `runs` changes after `warm_ups` untimed ones (as the warm `1+1` follows warm-up cells), and the first's time."""
    _, _, iopub = run_cell(kc, 'var benchSlider = new IntSlider("n", 0, 1000, 0); var benchCalls = new AtomicInteger();'
                               ' benchSlider.onChange(v -> benchCalls.incrementAndGet()); display(benchSlider);')
    slider = _comm_opens(iopub)["IntSliderModel"]
    times, echoed = [], 0
    for i in range(1, warm_ups + runs + 1):
        t0 = time.perf_counter()
        msg_id = _send_comm(kc, "comm_msg", {"comm_id": slider, "data": {
            "method": "update", "state": {"value": i}, "buffer_paths": []}})
        messages = wait_idle(kc, msg_id)
        times.append(time.perf_counter() - t0)
        echoed += any(m["msg_type"] == "comm_msg" and m["content"]["data"].get("method") == "echo_update"
                      for m in messages)
    calls = run_cell(kc, "benchCalls.get()")[2]
    called = next(m["content"]["data"]["text/plain"] for m in calls if m["msg_type"] == "execute_result")
    timed = times[warm_ups:]
    return (f"p50 {statistics.median(timed) * 1000:.1f} ms  p95 {percentile(timed, 95) * 1000:.1f} ms  "
            f"(n={runs} after {warm_ups} warm-up changes, the first {times[0] * 1000:.0f} ms; "
            f"listener called {called} times, {echoed} echoes)")


def progress_coalescing(km, kc):
    """1,000 progress steps over about 2 s with a widget page connected: comm messages, last value."""
    _send_comm(kc, "comm_open", {"comm_id": "bench-control", "target_name": "jupyter.widget.control", "data": {}})
    seconds, _, iopub = run_cell(kc, 'try (var p = Progress.start("bench", 1000)) {'
                                     ' for (int i = 0; i < 1000; i++) { Thread.sleep(2); p.step(); } }')
    models = _comm_opens(iopub)
    updates = [m for m in iopub if m["msg_type"] == "comm_msg"
               and m["content"]["comm_id"] in (models.get("IntProgressModel"), models.get("LabelModel"))]
    values = [m["content"]["data"]["state"]["value"] for m in updates
              if m["content"]["comm_id"] == models.get("IntProgressModel") and "value" in m["content"]["data"]["state"]]
    return (f"{len(updates)} comm messages for 1000 steps in {seconds:.2f} s, "
            f"last value {values[-1] if values else 'none'}")


EXTRA_BENCHMARKS += [
    ("widget: slider round trip", slider_round_trip),
    ("widget: progress 1,000 steps", progress_coalescing),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel-name", default="java-concurrency")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--warm", type=int, default=50)
    parser.add_argument("--record", metavar="FILE", help="append the figures to FILE as Markdown")
    parser.add_argument("--starts-only", action="store_true",
                        help="only the starts' figures (start, first result, JShell's own, timeline, shutdown)")
    args = parser.parse_args()
    if args.starts < 1 or args.warm < 1:
        sys.exit("bench-kernel: --starts and --warm must be at least 1")

    load_at_start = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    starts, firsts, shutdowns, start_loads, timelines = [], [], [], [], []
    floor_plain, floor_imports, default_imports = [], [], []
    cold = ColdFloor(args.kernel_name)
    logs = Path(tempfile.mkdtemp(prefix="jcn-bench-logs-"))
    try:
        for i in range(args.starts):
            log = logs / f"kernel-{i}.log"
            wall = time.time()
            km, kc, spawned, start = start_kernel(args.kernel_name, log)
            starts.append(start)
            _, reply, _ = run_cell(kc, "1+1")
            firsts.append(time.perf_counter() - spawned)
            if reply["content"]["status"] != "ok":
                sys.exit(f"first cell failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
            shutdowns.append(stop_kernel(km, kc))
            steps, imports = start_timeline(log, wall, firsts[-1])
            timelines.append(steps)
            default_imports = default_imports or imports
            if not default_imports:
                sys.exit("bench-kernel: the kernel log names no default imports (is the kernel older than this script?)")
            floor_plain.append(cold.first_result([]))
            floor_imports.append(cold.first_result(default_imports))
            start_loads.append(load())

        warm, floors, floors_imports, warm_load, extras = [], [], [], load(), []
        if not args.starts_only:
            km, kc, _, _ = start_kernel(args.kernel_name)
            try:
                for _ in range(WARM_UPS):
                    run_cell(kc, "1+1")
                floor = JShellFloor(args.kernel_name, WARM_UPS)
                floor_imported = JShellFloor(args.kernel_name, WARM_UPS, cold, default_imports)
                try:
                    for _ in range(args.warm):
                        warm.append(run_cell(kc, "1+1")[0])
                        floors.append(floor.eval())
                        floors_imports.append(floor_imported.eval())
                finally:
                    floor.close()
                    floor_imported.close()
                warm_load = load()
                extras = [(label, fn(km, kc), load()) for label, fn in EXTRA_BENCHMARKS]
            finally:
                stop_kernel(km, kc)
    finally:
        cold.close()
        shutil.rmtree(logs, ignore_errors=True)

    ms = lambda s: f"{s * 1000:.0f} ms"
    header = (f"kernel benchmark  {date.today()}  {platform.node()}  {platform.machine()}  "
              f"{os.cpu_count()} cpus  load {load_at_start}  kernel={args.kernel_name}")
    start_load = max(start_loads)
    rows = [
        ("start -> kernel_info_reply", f"median {ms(statistics.median(starts))}  "
                                       f"(runs: {', '.join(ms(s) for s in starts)})", start_load),
        ("start -> first `1+1` result", f"median {ms(statistics.median(firsts))}  "
                                        f"(runs: {', '.join(ms(s) for s in firsts)})", start_load),
        ("JShell's own first `1+1`", f"median {ms(statistics.median(floor_plain))}  "
                                     f"(runs: {', '.join(ms(s) for s in floor_plain)}; a fresh JVM with its AOT cache, "
                                     f"no imports)", start_load),
        (f"... with the {len(default_imports)} default imports", f"median {ms(statistics.median(floor_imports))}  "
                                     f"(runs: {', '.join(ms(s) for s in floor_imports)}; declared as one snippet)",
         start_load),
        ("first result / JShell's own", f"{statistics.median(firsts) / statistics.median(floor_imports):.2f}x "
                                        f"(with the imports), {statistics.median(firsts) / statistics.median(floor_plain):.2f}x "
                                        f"(without)", start_load),
        ("start timeline (ms after spawn)", "  ".join(
            f"{step} {statistics.median(t[step] for t in timelines if step in t):.0f}"
            for step in TIMELINE if any(step in t for t in timelines))
         + f"  (medians; the user JVM's start-up cache used in {sum(t.get('cache used', False) for t in timelines)}"
           f" of {len(timelines)} starts)", start_load),
        ("shutdown -> process gone", f"median {ms(statistics.median(shutdowns))}", start_load),
    ]
    if warm:
        warm_p50, floor_p50 = statistics.median(warm), statistics.median(floors)
        rows[-1:-1] = [
            ("warm `1+1` round trip", f"p50 {warm_p50 * 1000:.1f} ms  p95 {percentile(warm, 95) * 1000:.1f} ms  "
                                      f"(n={len(warm)} after {WARM_UPS} warm-up cells)", warm_load),
            ("JShell's own eval of `1+1`", f"p50 {floor_p50 * 1000:.1f} ms  p95 {percentile(floors, 95) * 1000:.1f} ms  "
                                           f"(n={len(floors)} after {WARM_UPS} warm-ups, in turns with the kernel's)",
             warm_load),
            ("warm / JShell's own", f"{warm_p50 / floor_p50:.2f}x", warm_load),
            (f"... with the {len(default_imports)} default imports",
             f"p50 {statistics.median(floors_imports) * 1000:.1f} ms  p95 {percentile(floors_imports, 95) * 1000:.1f} ms  "
             f"(the cells' class path, the same turns)", warm_load),
            ("warm / JShell's own, imports", f"{warm_p50 / statistics.median(floors_imports):.2f}x", warm_load),
        ]
    rows += extras
    print(header)
    for label, value, at_load in rows:
        print(f"{label:<32}{value}  [load {at_load:.1f}]")
    if args.record:
        with open(args.record, "a", encoding="utf-8") as f:
            f.write(f"\n### {header}\n\n| figure | value | load |\n|---|---|---|\n")
            f.writelines(f"| {label} | {value} | {at_load:.1f} |\n" for label, value, at_load in rows)

if __name__ == "__main__":
    main()
