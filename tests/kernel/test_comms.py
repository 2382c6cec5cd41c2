"""Comms through the real kernel (jupyter_client), both directions: a cell opens a comm and sends on it (JSON
and binary buffers), the frontend opens comms to a target registered by a cell, sends to it and closes it;
comm_info lists the open comms with and without its target filter; every message from the frontend is
wrapped in busy/idle and the handlers' replies come between them, parented to it; unknown targets, unknown
comms and malformed messages get a stderr line, and the kernel goes on.
"""

from __future__ import annotations

import uuid

import pytest

import iopub
from test_faults import TIMEOUT, run, shell_reply, start

ECHO_TARGET = """
Comm.registerTarget("jcn.echo", (comm, open) -> {
    comm.send(Map.of("opened", open.data()));
    comm.onMessage(m -> {
        if (m.data().containsKey("boom")) throw new IllegalStateException("listener failed on purpose");
        System.out.println("handler got " + m.data().get("x"));
        comm.send(Map.of("echo", m.data()), Map.of(), m.buffers());
    });
    comm.onClose(m -> System.out.println("closed with " + m.data().get("why")));
});
"""


@pytest.fixture(scope="module")
def kernel(kernel_prefix):
    km, kc = start(kernel_prefix)
    cell = run(kc, ECHO_TARGET)
    assert cell.status == "ok", cell.reply["content"]
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def until_idle(kc, msg_id, timeout=TIMEOUT):
    return iopub.until_idle(kc, msg_id, timeout)


def send(kc, msg_type, content, buffers=None):
    msg = kc.session.send(kc.shell_channel.socket, msg_type, content, buffers=buffers or [])
    return msg["header"]["msg_id"], until_idle(kc, msg["header"]["msg_id"])


def own(messages, msg_id):
    return [m for m in messages if m["parent_header"].get("msg_id") == msg_id]


def types(messages):
    return [m["msg_type"] if m["msg_type"] != "status" else m["content"]["execution_state"] for m in messages]


def stderr(messages):
    return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")


def comm_info(kc, target=None):
    msg_id = kc.comm_info(target_name=target)
    return shell_reply(kc, msg_id)["content"]


def test_a_cell_opens_a_comm_sends_json_and_buffers_and_closes_it(kernel):
    _, kc = kernel
    msg_id = kc.execute('var out = Comm.open("jcn.frontend.target", Map.of("n", 1)); String outId = out.id();'
                        ' out.send(Map.of("k", "v"), Map.of(), List.of(new byte[] {1, 2, 3, (byte) 255}));'
                        ' out.close(Map.of("bye", true));')
    mine = own(until_idle(kc, msg_id), msg_id)
    comms = [m for m in mine if m["msg_type"].startswith("comm_")]
    assert [m["msg_type"] for m in comms] == ["comm_open", "comm_msg", "comm_close"], types(mine)
    opened, sent, closed = comms
    assert opened["content"]["target_name"] == "jcn.frontend.target"
    assert opened["content"]["data"] == {"n": 1}
    comm_id = opened["content"]["comm_id"]
    assert sent["content"] == {"comm_id": comm_id, "data": {"k": "v"}}
    assert [bytes(b) for b in sent["buffers"]] == [bytes([1, 2, 3, 255])]
    assert closed["content"] == {"comm_id": comm_id, "data": {"bye": True}}
    assert types(mine)[-1] == "idle"
    assert comm_id not in comm_info(kc)["comms"]


def test_the_frontend_opens_messages_and_closes_a_comm_to_a_registered_target(kernel):
    _, kc = kernel
    comm_id = uuid.uuid4().hex
    open_id, seen = send(kc, "comm_open", {"comm_id": comm_id, "target_name": "jcn.echo", "data": {"a": 1}})
    mine = own(seen, open_id)
    assert types(mine) == ["busy", "comm_msg", "idle"], types(mine)
    assert mine[1]["content"] == {"comm_id": comm_id, "data": {"opened": {"a": 1}}}

    kept = run(kc, 'var kept = Comm.open("jcn.other.target", Map.of()); kept.id()').result()
    assert comm_info(kc, "jcn.echo")["comms"] == {comm_id: {"target_name": "jcn.echo"}}
    everything = comm_info(kc)["comms"]
    assert everything[comm_id] == {"target_name": "jcn.echo"} and everything[kept] == {"target_name": "jcn.other.target"}

    msg_id, seen = send(kc, "comm_msg", {"comm_id": comm_id, "data": {"x": 7}}, buffers=[b"\x00png\xff"])
    mine = own(seen, msg_id)
    assert types(mine) == ["busy", "comm_msg", "idle"], types(mine)
    assert mine[1]["content"]["data"] == {"echo": {"x": 7}}
    assert [bytes(b) for b in mine[1]["buffers"]] == [b"\x00png\xff"]
    printed = "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream")
    assert "handler got 7" in printed, printed

    close_id, seen = send(kc, "comm_close", {"comm_id": comm_id, "data": {"why": "done"}})
    assert types(own(seen, close_id)) == ["busy", "idle"]
    assert "closed with done" in "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream")
    assert comm_id not in comm_info(kc)["comms"]


def test_a_comm_to_an_unknown_target_is_closed_with_a_reason(kernel):
    _, kc = kernel
    comm_id = uuid.uuid4().hex
    open_id, seen = send(kc, "comm_open", {"comm_id": comm_id, "target_name": "jcn.unknown.target", "data": {}})
    mine = own(seen, open_id)
    assert types(mine) == ["busy", "stream", "comm_close", "idle"], types(mine)
    assert stderr(mine) == "No such comm target registered: jcn.unknown.target\n"
    assert mine[2]["content"] == {"comm_id": comm_id, "data": {}}
    msg_id, seen = send(kc, "comm_msg", {"comm_id": comm_id, "data": {"x": 1}})
    assert stderr(own(seen, msg_id)) == f"No such comm: {comm_id}\n"
    assert run(kc, "6 * 7").result() == "42"


def test_malformed_comm_messages_and_failing_listeners_leave_the_kernel_serving(kernel):
    _, kc = kernel
    msg_id, seen = send(kc, "comm_msg", {"data": {"x": 1}})
    assert types(own(seen, msg_id)) == ["busy", "stream", "idle"]
    assert stderr(own(seen, msg_id)).startswith("Malformed comm_msg: it needs a comm_id")
    msg_id, seen = send(kc, "comm_open", {"comm_id": uuid.uuid4().hex, "data": "not an object"})
    assert stderr(own(seen, msg_id)).startswith("Malformed comm_open")

    comm_id = uuid.uuid4().hex
    send(kc, "comm_open", {"comm_id": comm_id, "target_name": "jcn.echo", "data": {}})
    msg_id, seen = send(kc, "comm_msg", {"comm_id": comm_id, "data": {"boom": True}})
    shown = "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
    assert "IllegalStateException: listener failed on purpose" in shown, shown
    msg_id, seen = send(kc, "comm_msg", {"comm_id": comm_id, "data": {"x": 2}})
    assert own(seen, msg_id)[1]["content"]["data"] == {"echo": {"x": 2}}
    assert run(kc, "6 * 7").result() == "42"
