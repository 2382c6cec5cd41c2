"""Claims of 08-Distributed-Task-Queue, read from its executed outputs, and the same notebook run against
members started by the member script (`make cluster-member`), as a user would start them elsewhere.

Exact: every job's result is stored once and correct; a member killed mid-job costs a second attempt of that
job on another member and nothing else; a member killed while idle costs nothing; a member added mid-run
stores results; a task class from a cell is refused in one line; Hazelcast writes no log line into the
notebook; nothing is left running. Measured but bounded: `delay()` returns long before the result; on 2 cores
3 member JVMs do not clearly beat 2.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import nbformat
import pytest

import nbexec
from claimlines import exported, fields, tagged_lines
from leftovers import processes_left, threads_left
from nbcheck import Measured, cell_by_tag, has_mime, machine_before, mime_data, text_output, timing_claim

NB = "08-Distributed-Task-Queue"
ROOT = Path(__file__).resolve().parents[2]
BIGGEST = "9999999999999917"


@pytest.fixture(scope="module")
def nb(executed_notebook):
    return executed_notebook(NB)


def one(nb, tag: str, prefix: str) -> dict[str, str]:
    [line] = tagged_lines(nb, tag, prefix)
    return line


def test_the_cluster_of_the_parameters_starts_and_says_so_in_one_line_per_member(nb):
    c = one(nb, "cluster-start", "cluster ")
    assert c["kind"] == "embedded" and c["members"] == "2"
    text = text_output(cell_by_tag(nb, "cluster-start"))
    assert re.search(r"^member 127\.0\.0\.1:\d+ joined: 1 member \(embedded, started in [\d.]+ s\)$", text, re.M)
    assert re.search(r"^member 127\.0\.0\.1:\d+ joined: 2 members \(embedded, started in [\d.]+ s\)$", text, re.M)


def test_delay_returns_before_the_result_which_one_member_stores(nb):
    d = one(nb, "delay", "delay ")
    assert d["state-at-once"] in ("PENDING", "STARTED")
    assert d["state"] == "SUCCESS" and d["prime"] == "true" and d["attempt"] == "1"
    assert float(d["returned-ms"]) < float(d["got-seconds"]) * 1000 / 2
    assert re.fullmatch(r"127\.0\.0\.1:\d+", d["member"])


def test_a_task_class_from_a_cell_is_refused_in_one_line(nb):
    lines = text_output(cell_by_tag(nb, "refused")).splitlines()
    assert lines[0] == "refused=true"
    assert len(lines) == 2
    assert re.match(r"task class REPL\.\$JShell\$\d+\$Shout is not on the class path .*cluster members cannot "
                    r"load it", lines[1])


def test_every_job_of_the_run_is_stored_once_and_correct(nb):
    r = one(nb, "run", "run ")
    assert r["results"] == r["jobs"] == r["stored"] == "20"
    assert r["complete"] == "true" and r["problems"] == "[]" and r["ran-twice"] == "0"
    assert has_mime(cell_by_tag(nb, "gantt"), "image/png") and exported("08-gantt")


def test_member_jvms_are_child_processes_in_procs(nb):
    assert len(processes_left(text_output(cell_by_tag(nb, "procs-members")))) == 2
    text = text_output(cell_by_tag(nb, "jvms"))
    assert len(re.findall(r"^member 127\.0\.0\.1:\d+ joined: \d members? \(JVM pid \d+, started in", text, re.M)) == 2


def test_a_member_killed_mid_job_costs_one_rerun_elsewhere_and_no_result(nb):
    k = one(nb, "killed", "killed results=")
    assert k["results"] == k["jobs"] == k["stored"] == "20"
    assert k["complete"] == "true" and k["problems"] == "[]"
    assert k["ran-twice"] == f"[{BIGGEST}]" and k["members-after"] == "1"
    text = text_output(cell_by_tag(nb, "killed"))
    [victim] = re.findall(rf"^killed member (\S+) while it ran {BIGGEST}$", text, re.M)
    taken = re.search(rf"^{BIGGEST}  taken 2 times: #1 on (\S+) \(did not finish\), #2 on (\S+) \(stored\)$",
                      text, re.M)
    assert taken, text
    assert taken.group(1) == victim != taken.group(2)
    assert re.search(rf"^member {re.escape(victim)} left: 1 member$", text, re.M)
    assert has_mime(cell_by_tag(nb, "gantt-killed"), "image/png") and exported("08-killed")


def test_a_member_added_mid_run_takes_queued_jobs(nb):
    j = one(nb, "joined", "joined ")
    assert j["complete"] == "true" and j["stored"] == j["jobs"] == "100" and j["members-after"] == "2"
    counts = [int(x) for x in j["results-by-member"].strip("[]").split(",")]
    assert len(counts) == 2 and min(counts) > 0 and sum(counts) == 100
    assert re.search(r"^added member 127\.0\.0\.1:\d+ after \d+ results$",
                     text_output(cell_by_tag(nb, "joined")), re.M)


def test_a_member_killed_while_idle_loses_nothing(nb):
    i = one(nb, "idle", "idle ")
    assert i["killed"] != i["runner"]
    assert i["stored-by"] == i["runner"] and i["attempt"] == "1" and i["prime"] == "true"
    assert i["members-after"] == "1"


def speedups_of(run) -> dict[tuple[str, int], float]:
    return {(s["model"], int(s["workers"])): float(s["value"]) for s in tagged_lines(run, "speedups", "speedup ")}


def test_the_prose_takes_the_machines_core_count_from_the_run():
    # the cores are printed by section 9 ("On this N-core machine"); a count typed into the text is this
    # machine's only by luck
    committed = nbformat.read(nbexec.find_notebook(NB), as_version=4)
    prose = "\n".join(c.source for c in committed.cells if c.cell_type == "markdown")
    typed = re.findall(r".{0,30}\b(?:\d+|one|two|four)[- ]cores?\b.{0,30}", prose)
    assert not typed, f"a core count typed into the prose: {typed}"


def test_timings_put_the_cluster_beside_threads_and_processes(nb):
    speedups = speedups_of(nb)
    for model in ("threads", "processes", "cluster"):
        assert {(model, w) for w in (1, 2, 3)} <= speedups.keys(), model
    assert has_mime(cell_by_tag(nb, "sweep"), "text/html")
    for tag in ("chart-time", "chart-speedup"):
        assert has_mime(cell_by_tag(nb, tag), "image/png"), tag
    assert exported("08-timings") and exported("08-speedup")


def test_on_two_cores_member_jvms_beyond_the_cores_add_no_compute(nb, measurements):
    [machine] = [fields(l) for l in text_output(cell_by_tag(nb, "speedups")).splitlines() if l.startswith("cores=")]
    if int(machine["cores"]) != 2:
        pytest.skip(f"the claim is about a 2-core machine; this one has {machine['cores']} cores")

    def measure(run):
        # What the two cores give: the best speedup any model reached with 2 workers. 2 member JVMs are no
        # fair reference: they run first, on members that have done one untimed batch only.
        s = speedups_of(run)
        cores = max(s[("threads", 2)], s[("processes", 2)])
        return Measured(s[("cluster", 3)] < cores * 1.25,
                        f"3 member JVMs reached {s[('cluster', 3)]}x, the best 2-worker model {cores}x",
                        machine_before(run, "sweep"))

    timing_claim(measurements(NB), measure)


def test_overhead_and_start_costs_are_measured_and_the_prose_uses_them(nb):
    o = one(nb, "overhead", "overhead ")
    s = one(nb, "overhead", "start ")
    assert float(o["task-ms"]) > 0 and float(o["pipe-ms"]) > 0 and float(o["median-job-ms"]) > 0
    embedded = [float(x) for x in s["embedded-s"].strip("[]").split(",")]
    assert len(embedded) == 2 and all(x > 0 for x in embedded)
    [why] = mime_data(cell_by_tag(nb, "why"), "text/markdown")
    assert f"**{o['task-ms']} ms**" in why and f"pipe: {o['pipe-ms']} ms" in why
    assert f"**{s['jvm-median-s']} s**" in why


def test_the_summary_repeats_this_runs_numbers(nb):
    [text] = mime_data(cell_by_tag(nb, "summary"), "text/markdown")
    r, k, j = one(nb, "run", "run "), one(nb, "killed", "killed results="), one(nb, "joined", "joined ")
    o, s = one(nb, "overhead", "overhead "), one(nb, "overhead", "start ")
    assert f"{r['jobs']} jobs went through {r['members']} embedded member" in text, text
    assert f"in {r['seconds']} s, every result stored once ({r['stored']} stored)" in text, text
    twice = [n for n in k["ran-twice"].strip("[]").split(",") if n.strip()]
    assert f"made {len(twice)} job" in text and f"({k['stored']} of {k['jobs']} stored)" in text, text
    assert f"the two stored {j['results-by-member']} of the {j['jobs']} results" in text, text
    cluster = {w: v for (m, w), v in speedups_of(nb).items() if m == "cluster"}
    best = re.search(r"best speedup was \*\*([\d.]+)×\*\* with (\d+) member JVM", text)
    assert best, text
    assert abs(float(best[1]) - cluster[int(best[2])]) < 0.006 and cluster[int(best[2])] > max(cluster.values()) - 0.001
    assert f"round trip took {o['task-ms']} ms, a member JVM {s['jvm-median-s']} s to start" in text, text


def test_the_clusters_run_as_services_that_threads_lists_by_name(nb):
    s = one(nb, "services", "services ")
    assert s["cluster"] == "cluster" and s["jvms"] == "cluster-2" and s["open"] == "[cluster,cluster-2]"
    listing = text_output(cell_by_tag(nb, "threads-running"))
    assert "of services" in listing.splitlines()[0], listing
    owners = {re.split(r"\s{2,}", l.strip())[-1] for l in listing.splitlines() if l.startswith("hz.")}
    assert owners and owners <= {"cluster (service)", "cluster-2 (service)"}, listing


def test_closing_ends_every_hazelcast_thread_and_member_jvm(nb):
    c = one(nb, "close", "closed ")
    assert int(c["hazelcast-threads-before"]) > 0
    assert c["hazelcast-threads-after"] == "0" and c["child-processes-after"] == "0"
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []


def test_hazelcast_writes_no_log_line_into_the_notebook(nb):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                assert not re.search(r"com\.hazelcast|^(INFO|WARNING|SEVERE):|\[5\.7\.0\]", out["text"], re.M), \
                    f"cell {i} shows Hazelcast's own log output:\n{out['text'][:500]}"


# --- the same notebook against members started by the member script --------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ScriptMember:
    """One `scripts/cluster-member.sh` in the background, its output in a file."""

    def __init__(self, log: Path, *args: str):
        self.log = log
        self.exit_code = None
        self.out = open(log, "w")
        self.process = subprocess.Popen(["bash", str(ROOT / "scripts" / "cluster-member.sh"), *args],
                                        stdin=subprocess.DEVNULL, stdout=self.out, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def text(self) -> str:
        return self.log.read_text()

    def await_ready(self, timeout: float = 240) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"^ready (\S+) ", self.text(), re.M)
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                pytest.fail(f"the member script ended with {self.process.returncode}:\n{self.text()[-2000:]}")
            time.sleep(0.1)
        pytest.fail(f"the member script printed no ready line in {timeout} s:\n{self.text()[-2000:]}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.out.close()
        return self.process.returncode


@pytest.fixture(scope="module")
def remote(kernel_prefix, tmp_path_factory):
    """The notebook, run once with `addresses` naming two members started by the member script."""
    work = tmp_path_factory.mktemp("remote-08")
    name = f"jcn-test-{uuid.uuid4().hex[:8]}"
    ports = [free_port(), free_port()]
    first = ScriptMember(work / "member-1.log", "--cluster", name, "--port", str(ports[0]))
    members = [first]
    try:
        a = first.await_ready()
        second = ScriptMember(work / "member-2.log", "--cluster", name, "--port", str(ports[1]), "--join", a)
        members.append(second)
        b = second.await_ready()
        nb = nbformat.read(nbexec.find_notebook(NB), as_version=4)
        params = f'addresses=["{a}","{b}"] clusterName="{name}" sweepMembers=[1,2] repeats=1'
        nb = nbexec.inject(nb, nbexec.injected_parameters_source(nb, nbexec.parse_params(params)))
        (work / "figures").mkdir()
        run = nbexec.execute(nb, cwd=work)
        nbformat.write(run.last, work / f"{NB}-remote.ipynb")
        return run, (a, b), members
    finally:
        codes = [m.stop() for m in members]
        for m, code in zip(members, codes):
            m.exit_code = code


def test_the_notebook_runs_unchanged_against_members_started_by_the_script(remote):
    run, (a, b), members = remote
    assert run.error is None, f"{run.error} (executed copy in the test's temporary folder)"
    nb = run.passes[0]
    c = one(nb, "cluster-start", "cluster ")
    assert c["kind"] == "remote" and c["members"] == "2"
    listed = text_output(cell_by_tag(nb, "cluster-start"))
    assert f"{a} (remote)" in listed and f"{b} (remote)" in listed
    r = one(nb, "run", "run ")
    assert r["results"] == r["stored"] == "20" and r["complete"] == "true" and r["problems"] == "[]"
    d = one(nb, "delay", "delay ")
    assert d["state"] == "SUCCESS" and d["member"] in (a, b)
    assert one(nb, "refused", "refused=")["refused"] == "true"
    assert one(nb, "close", "closed ")["child-processes-after"] == "0"


def test_script_members_report_events_in_one_line_and_leave_cleanly(remote):
    run, (a, b), members = remote
    first, second = members
    assert re.search(rf"^member {re.escape(b)} joined: 2 members$", first.text(), re.M)
    for m in members:
        assert m.exit_code in (0, 143), f"member ended with {m.exit_code}:\n{m.text()[-1000:]}"
        assert not re.search(r"^\s+at ", m.text(), re.M), f"a stack trace in its output:\n{m.text()[-2000:]}"
