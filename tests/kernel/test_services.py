"""Service threads through the real kernel: long-lived work started with the notebook API's
`Service.start(...)` belongs to no cell. Interrupts of cells leave its threads alone, their output goes to
the kernel log instead of a cell, %threads lists them under the service's name, and %stop, a restart and a
shutdown close the service with its own close action before any thread is stopped by force.

Each service here ticks a counter every 20 ms from a scheduled pool made inside the service, prints a line
per tick, and writes a marker file when it is closed.
"""

from __future__ import annotations

import os

import pytest
from jupyter_client.manager import KernelManager

from test_faults import KERNEL, TIMEOUT, interrupt_when_started, run, wait_for

SERVICE = """
var {var}Ticks = new java.util.concurrent.atomic.AtomicLong();
var {var} = Service.start("{name}", () -> {{
    var pool = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("{name}-ticker").factory());
    pool.scheduleAtFixedRate(() -> {{ {var}Ticks.incrementAndGet(); System.out.println("tick of {name}"); }},
        0, 20, TimeUnit.MILLISECONDS);
    return pool;
}}, pool -> {{
    pool.shutdownNow();
    try {{ Files.writeString(Path.of("{marker}"), "closed"); }} catch (IOException e) {{ throw new UncheckedIOException(e); }}
}});
"""


def service(var, name, marker):
    return SERVICE.format(var=var, name=name, marker=marker)


def ticks_go_on(kc, var):
    """Waits (bounded, inside the cell) until the service has ticked five more times."""
    cell = run(kc, f"long before = {var}Ticks.get(); long until = System.nanoTime() + 10_000_000_000L;"
                   f" while ({var}Ticks.get() < before + 5 && System.nanoTime() < until) Thread.onSpinWait();"
                   f" {var}Ticks.get() >= before + 5")
    return cell



@pytest.fixture(scope="module")
def logged_kernel(kernel_prefix, tmp_path_factory):
    log = tmp_path_factory.mktemp("kernel-log") / "kernel.log"
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(env={**os.environ, "JCN_KERNEL_LOG": str(log)})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    yield km, kc, log
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def test_interrupting_the_starting_cell_or_a_later_one_leaves_the_service_running(logged_kernel, tmp_path):
    km, kc, log = logged_kernel
    code = service("survivor", "survivor", tmp_path / "survivor-closed") + '{ System.out.println("started"); Thread.sleep(600_000); }'
    cell, _ = interrupt_when_started(km, kc, code)
    assert cell.ename == "Interrupted", cell.reply["content"]
    assert ticks_go_on(kc, "survivor").result() == "true"
    later, _ = interrupt_when_started(km, kc, '{ System.out.println("started"); long n = 0; while (true) { n++; } }')
    assert later.ename == "Interrupted", later.reply["content"]
    assert ticks_go_on(kc, "survivor").result() == "true"
    assert run(kc, "survivor.isOpen()").result() == "true"


def test_a_services_output_goes_to_the_kernel_log_and_into_no_cell(logged_kernel, tmp_path):
    km, kc, log = logged_kernel
    started = run(kc, service("talker", "talker", tmp_path / "talker-closed") + 'System.out.println("the cell speaks");')
    assert "the cell speaks" in started.stream()
    waiting = ticks_go_on(kc, "talker")
    assert waiting.result() == "true"
    assert "tick of talker" not in started.stream() + waiting.stream()
    assert wait_for(lambda: "[talker] " in log.read_text() and "tick of talker" in log.read_text())


def test_threads_lists_a_services_threads_under_its_name_and_stop_leaves_them_to_the_service(logged_kernel, tmp_path):
    km, kc, log = logged_kernel
    assert run(kc, service("listed", "listed", tmp_path / "listed-closed")).status == "ok"
    assert ticks_go_on(kc, "listed").result() == "true"
    listing = run(kc, "%threads")
    text = "".join(m["content"].get("data", {}).get("text/plain", "") for m in listing.messages)
    assert "listed (service)" in text and "listed-ticker" in text, text
    assert "of services" in text.splitlines()[0]
    refused = run(kc, "%stop listed-ticker")
    said = "".join(m["content"].get("data", {}).get("text/plain", "") for m in refused.messages)
    assert "listed-ticker is a thread of the service listed: %stop listed closes the service" in said, said
    assert ticks_go_on(kc, "listed").result() == "true"


def test_stop_closes_a_named_service_with_its_close_action(logged_kernel, tmp_path):
    km, kc, log = logged_kernel
    marker = tmp_path / "stopped-closed"
    assert run(kc, service("stopped", "stopped", marker)).status == "ok"
    stop = run(kc, "%stop stopped")
    text = "".join(m["content"].get("data", {}).get("text/plain", "") for m in stop.messages)
    assert text.startswith("closed 1 service (stopped)"), text
    assert "by force" not in text
    assert marker.read_text() == "closed"
    assert run(kc, "stopped.isOpen()").result() == "false"
    # a window of 100 ms in which a pool that still ran would tick five times; not a synchronisation
    settled = run(kc, "long a = stoppedTicks.get(); Thread.sleep(100); stoppedTicks.get() == a")
    assert settled.result() == "true"


def test_stop_of_everything_closes_every_service_first(logged_kernel, tmp_path):
    km, kc, log = logged_kernel
    first, second = tmp_path / "first-closed", tmp_path / "second-closed"
    assert run(kc, service("first", "first", first) + service("second", "second", second)).status == "ok"
    stop = run(kc, "%stop")
    text = "".join(m["content"].get("data", {}).get("text/plain", "") for m in stop.messages)
    assert "second, first" in text.split(")")[0], text
    assert first.read_text() == "closed" and second.read_text() == "closed"


def test_restart_and_shutdown_close_the_services(kernel_prefix, tmp_path):
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        before_restart, before_shutdown = tmp_path / "restart-closed", tmp_path / "shutdown-closed"
        assert run(kc, service("kept", "kept", before_restart)).status == "ok"
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=TIMEOUT)
        assert wait_for(before_restart.exists), "the restart did not close the service"
        assert run(kc, service("kept", "kept", before_shutdown)).status == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    assert wait_for(before_shutdown.exists), "the shutdown did not close the service"
