"""A Hazelcast cluster in the kernel: its members are a service of the session, not code of the cell that
started them. Interrupting cells (a later one, or the one waiting for a batch) leaves the cluster serving;
a restart ends every member JVM. Waits are bounded; nothing sleeps to synchronise.
"""

from __future__ import annotations

import time

from test_faults import (TIMEOUT, alive, assert_serving, cmdline, collect, descendants, interrupt_when_started, run,
                         shell_reply, start)


def test_interrupting_cells_leaves_the_cluster_serving(kernel_prefix):
    km, kc = start(kernel_prefix)
    try:
        started = run(kc, "Cluster cluster = Cluster.embedded(2);", timeout=120)
        assert started.status == "ok", started.reply["content"]
        assert "joined: 2 members" in started.stream()

        cell, _ = interrupt_when_started(km, kc, '{ System.out.println("started"); Thread.sleep(600_000); }')
        assert cell.status == "error" and cell.ename == "Interrupted", cell.reply["content"]
        after = run(kc, 'cluster.run(List.of(7L, 9L, 11L)).complete() + " " + cluster.size()', timeout=120)
        assert after.result() == 'true 2', after.reply["content"]

        # A batch interrupted while the cell waits for it: the cell stops, the cluster does not.
        cell, latency = interrupt_when_started(km, kc, """
            System.out.println("started");
            cluster.run(Collections.nCopies(6, Primes.BIG_PRIME));
        """)
        assert cell.status == "error" and cell.ename == "Interrupted", cell.reply["content"]
        assert latency < 5, f"the interrupt took {latency:.2f} s"
        again = run(kc, 'cluster.run(List.of(7L, 9L)).complete() + " " + cluster.size()', timeout=180)
        assert again.result() == 'true 2', again.reply["content"]
        closed = run(kc, "cluster.close(); Thread.getAllStackTraces().keySet().stream()"
                         ".filter(t -> t.getName().startsWith(\"hz.\")).count()", timeout=120)
        assert closed.result() == "0", closed.reply["content"]
        assert_serving(kc)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_restart_ends_every_member_jvm(kernel_prefix):
    km, kc = start(kernel_prefix)
    try:
        cell = run(kc, "Cluster jvms = Cluster.localJvms(2); jvms.size()", timeout=180)
        assert cell.result() == "2", cell.reply["content"]
        members = [p for p in descendants(km.provisioner.process.pid) if "cluster.MemberMain" in cmdline(p)]
        assert len(members) == 2, [cmdline(p) for p in descendants(km.provisioner.process.pid)]
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=TIMEOUT)
        deadline = time.monotonic() + 15
        while any(alive(p) for p in members) and time.monotonic() < deadline:
            pass
        assert [p for p in members if alive(p)] == [], "member JVMs left behind by restart"
        assert_serving(kc)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
