"""The kernel log through the real kernel: a restart appends to the log instead of emptying it, so the lines of
the run before the restart (a crash's, a close's) are still there to read."""

from __future__ import annotations

import re

from test_faults import TIMEOUT, run, start_logged


def test_a_restart_keeps_what_the_earlier_run_logged(kernel_prefix, tmp_path):
    log = tmp_path / "kernel.log"
    km, kc = start_logged(log)
    try:
        assert run(kc, "1+1").result() == "2"
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=TIMEOUT)
        assert run(kc, "2+2").result() == "4"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    starts = re.findall(r"kernel \S+ starting, pid (\d+)", log.read_text(encoding="utf-8"))
    assert len(starts) == 2 and starts[0] != starts[1], starts


def test_the_log_starts_without_complaints_from_slf4j(kernel_prefix, tmp_path):
    """The kernel names slf4j's provider instead of letting slf4j search the class path for one: a wrong name
    would show as an SLF4J warning in the log (and a search of every jar again)."""
    log = tmp_path / "kernel.log"
    km, kc = start_logged(log)
    try:
        assert run(kc, "1+1").result() == "2"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    text = log.read_text(encoding="utf-8")
    assert "kernel" in text and " starting, pid " in text, text
    assert "SLF4J" not in text, text
