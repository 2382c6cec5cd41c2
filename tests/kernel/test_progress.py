"""The progress helper through the real kernel: in a headless run (no page has opened the widget control comm)
a loop's progress prints one short line when the work ends and nothing before; once a page with a widget
manager has connected (it opens `jupyter.widget.control`, as JupyterLab does), the same loop shows a bar and
a label whose 1,000 steps reach the frontend coalesced, in at most 100 comm messages, ending at the exact
count.
"""

from __future__ import annotations

import re
import uuid

import pytest

from test_comms import own, send, until_idle
from test_faults import TIMEOUT, start

LOOP = ('try (var progress = Progress.start("sweep", 1000)) {'
        ' for (int i = 0; i < 1000; i++) { Thread.sleep(0, 500_000); progress.step(); } }')


@pytest.fixture(scope="module")
def kc(kernel_prefix):
    km, client = start(kernel_prefix)
    yield client
    client.stop_channels()
    km.shutdown_kernel(now=False)


def execute(kc, code):
    msg_id = kc.execute(code)
    return own(until_idle(kc, msg_id, TIMEOUT), msg_id)


def test_headless_progress_is_one_line_at_the_end(kc):
    mine = execute(kc, LOOP)
    assert not [m for m in mine if m["msg_type"].startswith("comm_") or m["msg_type"] == "display_data"]
    text = "".join(m["content"]["text"] for m in mine if m["msg_type"] == "stream")
    assert re.fullmatch(r"sweep: 1000/1000 in \d+\.\d s\n", text), text


def test_with_a_widget_page_the_bar_is_coalesced_and_ends_exact(kc):
    send(kc, "comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget.control", "data": {}})
    mine = execute(kc, LOOP)
    models = {m["content"]["data"]["state"]["_model_name"]: m["content"]["comm_id"]
              for m in mine if m["msg_type"] == "comm_open"}
    assert {"IntProgressModel", "LabelModel", "HBoxModel"} <= set(models)
    bar = [m["content"]["data"]["state"] for m in mine
           if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == models["IntProgressModel"]]
    label = [m["content"]["data"]["state"] for m in mine
             if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == models["LabelModel"]]
    updates = len(bar) + len(label)
    print(f"progress: 1000 steps reached the frontend in {updates} comm messages")
    assert updates <= 100, updates
    values = [s["value"] for s in bar if "value" in s]
    assert values[-1] == 1000 and values == sorted(values)
    assert bar[-1] == {"bar_style": "success"}
    assert label[-1]["value"].startswith("1000/1000 · ")
    assert not [m for m in mine if m["msg_type"] == "stream"]
