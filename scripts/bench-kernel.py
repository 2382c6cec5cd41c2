#!/usr/bin/env python3
"""Benchmark of the java-concurrency Jupyter kernel, through jupyter_client as a frontend sees it.

Prints, each figure with the machine's 1-minute load average when it was taken:
  start -> kernel_info_reply   median of N fresh kernel processes
  start -> first `1+1` result  the same starts, up to the first cell's reply and idle (the user JVM's
                               start-up included)
  warm `1+1` round trip        p50/p95 over M runs: execute_request sent -> reply and idle received, after
                               WARM_UPS untimed cells
  complete / inspect           p50/p95 of 40 round trips each (`ex.sub`, `Thread.ofVirtual()`), on a
                               warm kernel while no cell runs and while a cell sleeps
  JShell's own eval of `1+1`   the floor: JShell in one process, no kernel (scripts/JShellFloor.java,
                               same JDK, as many warm-ups), timed in turns with the warm `1+1` so that each
                               pair meets the same load; and the ratio warm p50 / floor p50
  shutdown                     shutdown_request sent -> kernel process gone
plus the figures registered in EXTRA_BENCHMARKS (interrupt latency, output flood, a widget slider's round
trip, progress coalescing, ...).

Usage:
  python3 scripts/bench-kernel.py [--kernel-name java-concurrency] [--starts 5] [--warm 50] [--record FILE]
--record appends the figures to FILE (e.g. BENCHMARKS.md) as a dated Markdown section.
The kernelspec must be installed (`make install-kernel`), or found through JUPYTER_PATH.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
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


def start_kernel(name):
    """Starts a fresh kernel; returns (km, kc, perf_counter at spawn, seconds from spawn to kernel_info_reply)."""
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
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
    kernel's JDK, warmed up and then timed one evaluation at a time."""

    def __init__(self, kernel_name, warm_ups):
        java = KernelSpecManager().get_kernel_spec(kernel_name).argv[0]
        program = Path(__file__).resolve().parent / "JShellFloor.java"
        self.process = subprocess.Popen([java, str(program), "1+1", str(warm_ups), "0", "--paced"],
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
    args = parser.parse_args()
    if args.starts < 1 or args.warm < 1:
        sys.exit("bench-kernel: --starts and --warm must be at least 1")

    load_at_start = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    starts, firsts, shutdowns, start_loads = [], [], [], []
    for _ in range(args.starts):
        km, kc, spawned, start = start_kernel(args.kernel_name)
        starts.append(start)
        _, reply, _ = run_cell(kc, "1+1")
        firsts.append(time.perf_counter() - spawned)
        if reply["content"]["status"] != "ok":
            sys.exit(f"first cell failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
        shutdowns.append(stop_kernel(km, kc))
        start_loads.append(load())

    km, kc, _, _ = start_kernel(args.kernel_name)
    try:
        for _ in range(WARM_UPS):
            run_cell(kc, "1+1")
        floor = JShellFloor(args.kernel_name, WARM_UPS)
        warm, floors = [], []
        try:
            for _ in range(args.warm):
                warm.append(run_cell(kc, "1+1")[0])
                floors.append(floor.eval())
        finally:
            floor.close()
        warm_load = load()
        extras = [(label, fn(km, kc), load()) for label, fn in EXTRA_BENCHMARKS]
    finally:
        stop_kernel(km, kc)

    ms = lambda s: f"{s * 1000:.0f} ms"
    header = (f"kernel benchmark  {date.today()}  {platform.node()}  {platform.machine()}  "
              f"{os.cpu_count()} cpus  load {load_at_start}  kernel={args.kernel_name}")
    start_load = max(start_loads)
    warm_p50, floor_p50 = statistics.median(warm), statistics.median(floors)
    rows = [
        ("start -> kernel_info_reply", f"median {ms(statistics.median(starts))}  "
                                       f"(runs: {', '.join(ms(s) for s in starts)})", start_load),
        ("start -> first `1+1` result", f"median {ms(statistics.median(firsts))}  "
                                        f"(runs: {', '.join(ms(s) for s in firsts)})", start_load),
        ("warm `1+1` round trip", f"p50 {warm_p50 * 1000:.1f} ms  p95 {percentile(warm, 95) * 1000:.1f} ms  "
                                  f"(n={len(warm)} after {WARM_UPS} warm-up cells)", warm_load),
        ("JShell's own eval of `1+1`", f"p50 {floor_p50 * 1000:.1f} ms  p95 {percentile(floors, 95) * 1000:.1f} ms  "
                                       f"(n={len(floors)} after {WARM_UPS} warm-ups, in turns with the kernel's)",
         warm_load),
        ("warm / JShell's own", f"{warm_p50 / floor_p50:.2f}x", warm_load),
        ("shutdown -> process gone", f"median {ms(statistics.median(shutdowns))}", start_load),
        *extras,
    ]
    print(header)
    for label, value, at_load in rows:
        print(f"{label:<30}{value}  [load {at_load:.1f}]")
    if args.record:
        with open(args.record, "a", encoding="utf-8") as f:
            f.write(f"\n### {header}\n\n| figure | value | load |\n|---|---|---|\n")
            f.writelines(f"| {label} | {value} | {at_load:.1f} |\n" for label, value, at_load in rows)

if __name__ == "__main__":
    main()
