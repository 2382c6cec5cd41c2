"""The user JVM's start-up cache through the real kernel. A cache file under the name the kernel looks for
that the user JVM cannot map (made by another build of the JDK, or for jars that changed without changing
size or time) is stale: the JVM starts without it, as every later one would. The kernel sees that, and the
cache is made afresh instead of being given to every later user JVM; cells run either way.

Each kernel here gets a cache directory of its own (XDG_CACHE_HOME), so the session's caches are untouched.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from jupyter_client.manager import KernelManager

from test_faults import KERNEL, TIMEOUT, run, wait_for

STALE = "not a start-up cache"


def run_one_cell(env):
    """Starts a kernel with `env`, runs `1+1`, shuts the kernel down; returns the cell."""
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        return run(kc, "1+1")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def processes_mentioning(text):
    """Pids of the processes whose command line contains `text`."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if text in (proc / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(proc.name))
            except OSError:
                continue  # it ended while we looked
    return pids



def test_a_start_up_cache_the_user_jvm_cannot_map_is_made_afresh(kernel_prefix, tmp_path):
    caches = tmp_path / "cache"
    log = tmp_path / "kernel.log"
    env = {**os.environ, "XDG_CACHE_HOME": str(caches), "JCN_KERNEL_LOG": str(log)}

    first = run_one_cell(env)
    assert first.result() == "2", first.reply["content"]
    launch = re.search(r"starting a user JVM; its start-up cache (\S+): (.*)", log.read_text())
    assert launch, log.read_text()
    cache = Path(launch.group(1))
    assert launch.group(2) != "used"
    # The first kernel started making the cache; its training run ends with that kernel.
    assert wait_for(lambda: not processes_mentioning(str(caches)), 20), processes_mentioning(str(caches))

    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(STALE)
    second = run_one_cell(env)
    assert second.result() == "2", second.reply["content"]
    text = log.read_text()
    assert f"its start-up cache {cache}: used" in text
    assert f"did not map its start-up cache {cache}; it is made afresh" in text, text
    assert not cache.exists() or cache.read_bytes() != STALE.encode()


# The classes a user JVM's main thread loads on its way to the first cell, before and beside JShell's thread.
START_PATH = ["dev.jcn.kernel.agent.StartupSteps", "dev.jcn.kernel.wire.WireChannel", "dev.jcn.kernel.agent.Outbox",
              "dev.jcn.kernel.agent.UserStreams", "dev.jcn.kernel.agent.CellRuns", "dev.jcn.kernel.agent.Dispatcher"]


def test_the_agents_way_to_its_first_cell_comes_from_the_start_up_cache(kernel_prefix, tmp_path):
    """A class the cache lacks is looked for along the class path, every cell jar before the agent's."""
    log = tmp_path / "kernel.log"
    env = {**os.environ, "JCN_KERNEL_LOG": str(log),
           "JDK_JAVA_OPTIONS": f"-Xlog:class+load=info:file={tmp_path}/classes-%p.txt"}
    cell = run_one_cell(env)
    assert cell.result() == "2", cell.reply["content"]
    assert re.search(r"starting a user JVM; its start-up cache \S+: used", log.read_text()), log.read_text()
    user = [f.read_text() for f in tmp_path.glob("classes-*.txt") if "dev.jcn.kernel.agent.AgentMain " in f.read_text()]
    assert len(user) == 1, list(tmp_path.iterdir())
    sources = dict(re.findall(r"\] (dev\.jcn\.\S+) source: (.+)", user[0]))
    assert {name: sources.get(name) for name in START_PATH} == {name: "shared objects file" for name in START_PATH}
