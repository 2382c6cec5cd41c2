"""Reading a kernel's IOPub in tests that talk to it directly through jupyter_client."""

from __future__ import annotations

import queue
import time


def until_idle(kc, msg_id: str, timeout: float) -> list[dict]:
    """Every IOPub message up to the idle of msg_id (those of other parents too, in arrival order)."""
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        assert time.monotonic() < deadline, f"no idle for {msg_id}"
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        seen.append(msg)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return seen
