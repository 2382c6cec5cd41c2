"""A Hazelcast cluster in the kernel is a service of the notebook API (`dev.jcn.notebook.Service`), named
`cluster` (the next one `cluster-2`, ...), not code of the cell that started it. Interrupting cells (a later
one, or the one waiting for a batch) leaves the cluster serving; Hazelcast's log lines go to the kernel log
and into no cell; %threads lists Hazelcast's threads under the service; %stop (all, or the service by name),
a restart and a shutdown close the client and the members cleanly, before any thread is stopped by force
(member JVMs one by one, each seen leaving cleanly by the others), and leave no Hazelcast thread and no member
JVM; member JVMs whose kernel and user JVM were killed end by themselves. Waits are bounded; nothing sleeps to
synchronise.
"""

from __future__ import annotations

import os
import re
import signal

import pytest
from test_faults import (TIMEOUT, alive, assert_serving, cmdline, descendants, interrupt_when_started, run, start,
                         start_logged, user_jvm, wait_for)

HZ_THREADS = ('Thread.getAllStackTraces().keySet().stream()'
              '.filter(t -> t.isAlive() && t.getName().startsWith("hz.")).count()')


def text(cell) -> str:
    """Everything a cell showed: its streams and the text of its results and displays."""
    return cell.stream() + "".join(m["content"].get("data", {}).get("text/plain", "") for m in cell.messages)


def nothing_of_the_cluster_left(kc):
    """%threads lists no Hazelcast thread and no thread of a cluster service; %procs no child process."""
    threads = text(run(kc, "%threads"))
    assert "hz." not in threads and "cluster" not in threads, threads
    procs = text(run(kc, "%procs"))
    assert "no child processes" in procs, procs



def member_jvms(km) -> list[int]:
    return [p for p in descendants(km.provisioner.process.pid) if "cluster.MemberMain" in cmdline(p)]


def owners(listing: str) -> dict[str, set[str]]:
    """Hazelcast thread names of a %threads listing, by the owner column ("cluster (service)", a cell)."""
    found: dict[str, set[str]] = {}
    for line in listing.splitlines():
        if line.strip().startswith("hz."):
            name, owner = line.split()[0], line.rsplit("  ", 1)[-1].strip()
            found.setdefault(owner, set()).add(name)
    return found


@pytest.fixture
def logged(kernel_prefix, tmp_path):
    """A kernel whose log goes to a file; yields (km, kc, log path)."""
    log = tmp_path / "kernel.log"
    km, kc = start_logged(log)
    try:
        yield km, kc, log
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def member_lines(log) -> list[str]:
    """What member JVMs printed, as the kernel log has it ("member JVM: ..." lines of their service)."""
    return [l.split("member JVM: ", 1)[1] for l in log.read_text().splitlines() if "member JVM: " in l]


def addresses(kc, cluster: str) -> list[str]:
    """The addresses of the members `cluster` started, oldest first."""
    listing = run(kc, f'{cluster}.startedMembers().stream().map(m -> m.address()).toList()').result()
    return re.findall(r"127\.0\.0\.1:\d+", listing)


def assert_left_cleanly(log, members: list[str]):
    """Each of `members` left through its clean path, said goodbye ("stopped ADDRESS") and was not killed; no
    member saw another leave without a goodbye."""
    def done():
        lines = member_lines(log)
        return all(f"stopped {m}" in lines for m in members)
    assert wait_for(done, 30), log.read_text()
    lines = member_lines(log)
    assert not any("without a goodbye" in l for l in lines), lines
    assert "did not stop" not in log.read_text()


def test_interrupting_cells_leaves_the_cluster_serving_and_threads_lists_it_as_a_service(kernel_prefix):
    km, kc = start(kernel_prefix)
    try:
        started = run(kc, "Cluster cluster = Cluster.embedded(2); cluster.serviceName()", timeout=120)
        assert started.result() == "cluster", started.reply["content"]
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

        listing = text(run(kc, "%threads"))
        by_owner = owners(listing)
        assert set(by_owner) == {"cluster (service)"}, listing
        assert len(by_owner["cluster (service)"]) > 10, listing
        assert re.fullmatch(r"\d+ live threads of services", listing.splitlines()[0]), listing

        closed = run(kc, f"cluster.close(); cluster.isOpen() + \" \" + {HZ_THREADS}", timeout=120)
        assert closed.result() == "false 0", closed.reply["content"]
        nothing_of_the_cluster_left(kc)
        assert_serving(kc)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_hazelcasts_log_lines_go_to_the_kernel_log_and_stop_by_name_closes_the_cluster(logged):
    km, kc, log = logged
    # A member terminated without warning makes the others log connection failures: Hazelcast's warnings.
    cell = run(kc, "Cluster three = Cluster.embedded(3); three.killMember(3); three.size()", timeout=180)
    assert cell.result() == "2", cell.reply["content"]
    shown = [l for l in text(cell).splitlines() if l.strip() and l != "2"]
    assert shown and all(l.startswith("member 127.0.0.1:") for l in shown), shown
    assert wait_for(lambda: any("[cluster]" in l and "hazelcast WARNING" in l for l in log.read_text().splitlines()))
    later = run(kc, 'three.run(List.of(7L, 9L)).complete()', timeout=120)
    assert later.result() == "true" and "hazelcast" not in text(later).lower(), text(later)

    stop = text(run(kc, "%stop cluster", timeout=120))
    assert stop.startswith("closed 1 service (cluster)"), stop
    assert "by force" not in stop and "did not finish" not in stop, stop
    assert run(kc, f'three.isOpen() + " " + {HZ_THREADS}').result() == "false 0"
    nothing_of_the_cluster_left(kc)
    refused = run(kc, "three.size()")
    assert refused.status == "error" and "is closed" in refused.evalue, refused.reply["content"]
    assert_serving(kc)


def test_stop_of_everything_closes_embedded_members_and_member_jvms_before_stopping_threads(logged):
    km, kc, log = logged
    cell = run(kc, 'Cluster inside = Cluster.embedded(1); Cluster jvms = Cluster.localJvms(2);'
                   ' inside.serviceName() + " " + jvms.serviceName() + " " + jvms.size()', timeout=240)
    assert cell.result() == "cluster cluster-2 2", cell.reply["content"]
    members = member_jvms(km)
    assert len(members) == 2, [cmdline(p) for p in descendants(km.provisioner.process.pid)]
    started = addresses(kc, "jvms")
    stop = text(run(kc, "%stop", timeout=120))
    assert stop.startswith("closed 2 services (cluster-2, cluster)"), stop
    assert "by force" not in stop and "did not finish" not in stop, stop
    assert [p for p in members if alive(p)] == [], "member JVMs left behind by %stop"
    assert_left_cleanly(log, started)
    assert run(kc, HZ_THREADS).result() == "0"
    nothing_of_the_cluster_left(kc)
    assert_serving(kc)


def test_restart_and_shutdown_end_every_member_jvm_cleanly(kernel_prefix, tmp_path):
    log = tmp_path / "kernel.log"  # a restart appends to it: the closing run's lines stay
    km, kc = start_logged(log)
    try:
        cell = run(kc, "Cluster jvms = Cluster.localJvms(2); Cluster inside = Cluster.embedded(1); jvms.size()",
                   timeout=240)
        assert cell.result() == "2", cell.reply["content"]
        members = member_jvms(km)
        assert len(members) == 2, [cmdline(p) for p in descendants(km.provisioner.process.pid)]
        started = addresses(kc, "jvms")
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=TIMEOUT)
        assert wait_for(lambda: [p for p in members if alive(p)] == [], 15), "member JVMs left behind by restart"
        assert_left_cleanly(log, started)
        assert_serving(kc)

        cell = run(kc, "Cluster again = Cluster.localJvms(2); again.size()", timeout=240)
        assert cell.result() == "2", cell.reply["content"]
        members = member_jvms(km)
        assert len(members) == 2
        started = addresses(kc, "again")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    assert wait_for(lambda: [p for p in members if alive(p)] == [], 15), "a member JVM left behind by shutdown"
    assert_left_cleanly(log, started)


def test_member_jvms_end_by_themselves_when_the_kernel_and_its_user_jvm_are_killed(kernel_prefix):
    km, kc = start(kernel_prefix)
    try:
        cell = run(kc, "Cluster jvms = Cluster.localJvms(2); jvms.size()", timeout=240)
        assert cell.result() == "2", cell.reply["content"]
        members = member_jvms(km)
        assert len(members) == 2, [cmdline(p) for p in descendants(km.provisioner.process.pid)]
        # Nobody is left to stop the members: each sees the JVM that started it gone, and ends.
        jvm = user_jvm(km)
        os.kill(km.provisioner.process.pid, signal.SIGKILL)
        os.kill(jvm, signal.SIGKILL)
        assert wait_for(lambda: [p for p in members if alive(p)] == [], 15), "member JVMs outlived their owner"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
