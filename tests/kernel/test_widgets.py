"""Widget state sync through the real kernel (jupyter_client playing the frontend, with the messages that
JupyterLab 4.6 and jupyterlab_widgets 3 send): models open on the `jupyter.widget` target with protocol 2.1
metadata, their layout and style models first; a display carries the widget view; an update from the frontend
is echoed (echo_update, parented to it) before the listeners run, between busy and idle; request_state and
the control comm's request_states give whole states back, binary values as buffers; a button's click runs
its listener, whose output lands in an Output widget; interact draws again when a control changes. Cells see
the widget classes without an import.
"""

from __future__ import annotations

import time

import pytest

from test_comms import own, send, types, until_idle
from test_faults import TIMEOUT, run, start

PNG = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 1, 2, 255])


@pytest.fixture(scope="module")
def kernel(kernel_prefix):
    km, kc = start(kernel_prefix)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def execute(kc, code):
    msg_id = kc.execute(code)
    return own(until_idle(kc, msg_id), msg_id)


def opens(messages):
    return {m["content"]["comm_id"]: m for m in messages if m["msg_type"] == "comm_open"}


def update(kc, comm_id, state, buffer_paths=(), buffers=()):
    return send(kc, "comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state,
                                                              "buffer_paths": list(buffer_paths)}},
                buffers=list(buffers))


def test_a_slider_opens_its_models_displays_its_view_and_echoes_a_change_before_its_listener(kernel):
    _, kc = kernel
    mine = execute(kc, 'var workers = new IntSlider("workers", 1, 8, 3);'
                       ' workers.onChange(v -> System.out.println("listener saw " + v)); display(workers);'
                       ' workers.modelId()')
    models = opens(mine)
    assert all(m["content"]["target_name"] == "jupyter.widget" and m["metadata"] == {"version": "2.1.0"}
               for m in models.values())
    by_name = {m["content"]["data"]["state"]["_model_name"]: m for m in models.values()}
    assert set(by_name) == {"LayoutModel", "SliderStyleModel", "IntSliderModel"}
    slider = by_name["IntSliderModel"]["content"]
    state = slider["data"]["state"]
    assert (state["_model_module"], state["_model_module_version"]) == ("@jupyter-widgets/controls", "2.0.0")
    assert (by_name["LayoutModel"]["content"]["data"]["state"]["_model_module"],
            by_name["LayoutModel"]["content"]["data"]["state"]["_model_module_version"]) == ("@jupyter-widgets/base", "2.0.0")
    assert state["layout"] == "IPY_MODEL_" + by_name["LayoutModel"]["content"]["comm_id"]
    assert state["style"] == "IPY_MODEL_" + by_name["SliderStyleModel"]["content"]["comm_id"]
    assert (state["value"], state["min"], state["max"], state["description"]) == (3, 1, 8, "workers")
    order = [m["content"]["comm_id"] for m in mine if m["msg_type"] == "comm_open"]
    assert order.index(slider["comm_id"]) == 2, "layout and style are opened before the slider"
    shown = next(m for m in mine if m["msg_type"] == "display_data")["content"]["data"]
    assert shown["application/vnd.jupyter.widget-view+json"] == {
        "version_major": 2, "version_minor": 0, "model_id": slider["comm_id"]}
    assert shown["text/plain"] == "IntSlider(value=3)"

    msg_id, seen = update(kc, slider["comm_id"], {"value": 8})
    mine = own(seen, msg_id)
    assert types(mine)[0] == "busy" and types(mine)[-1] == "idle", types(mine)
    echo = [m for m in mine if m["msg_type"] == "comm_msg"]
    assert [m["content"]["data"] for m in echo] == [{"method": "echo_update", "state": {"value": 8}, "buffer_paths": []}]
    printed = "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream")
    assert "listener saw 8" in printed, printed
    assert run(kc, "workers.value()").result() == "8"

    mine = execute(kc, "workers.value(5);")
    sent = [m["content"]["data"] for m in mine if m["msg_type"] == "comm_msg"]
    assert sent == [{"method": "update", "state": {"value": 5}, "buffer_paths": []}]
    assert "listener saw 5" in "".join(m["content"]["text"] for m in mine if m["msg_type"] == "stream")

    msg_id, seen = send(kc, "comm_msg", {"comm_id": slider["comm_id"], "data": {"method": "request_state"}})
    full = [m for m in own(seen, msg_id) if m["msg_type"] == "comm_msg"][0]["content"]["data"]
    assert full["method"] == "update" and full["state"]["value"] == 5 and full["state"]["_model_name"] == "IntSliderModel"


def test_an_image_travels_as_a_buffer_and_a_reloaded_page_gets_every_model_back(kernel):
    _, kc = kernel
    code = "byte[] png = new byte[] {" + ", ".join(f"(byte) {b}" for b in PNG) + "};"
    mine = execute(kc, code + ' var picture = new Image(png, "png"); display(picture); picture.modelId()')
    image = next(m for m in opens(mine).values() if m["content"]["data"]["state"]["_model_name"] == "ImageModel")
    assert image["content"]["data"]["buffer_paths"] == [["value"]]
    assert "value" not in image["content"]["data"]["state"]
    assert [bytes(b) for b in image["buffers"]] == [PNG]

    msg_id, seen = update(kc, image["content"]["comm_id"], {}, [["value"]], [b"\x01\x02"])
    assert run(kc, "picture.value().length").result() == "2"

    control = "control-" + image["content"]["comm_id"]
    send(kc, "comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}})
    msg_id, seen = send(kc, "comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
    reply = [m for m in own(seen, msg_id) if m["msg_type"] == "comm_msg"][0]
    data = reply["content"]["data"]
    assert data["method"] == "update_states"
    states = data["states"]
    entry = states[image["content"]["comm_id"]]
    assert (entry["model_name"], entry["model_module"], entry["model_module_version"]) == (
        "ImageModel", "@jupyter-widgets/controls", "2.0.0")
    path = [image["content"]["comm_id"], "state", "value"]
    assert path in data["buffer_paths"]
    assert bytes(reply["buffers"][data["buffer_paths"].index(path)]) == b"\x01\x02"
    assert any(s["model_name"] == "IntSliderModel" for s in states.values())


def test_a_click_runs_the_listener_and_its_output_lands_in_the_output_widget(kernel):
    _, kc = kernel
    mine = execute(kc, 'var out = new Output(); var go = new Button("Run");'
                       ' go.onClick(() -> out.capture(() -> System.out.println("clicked, sweeping")));'
                       ' display(new VBox(go, out));')
    models = {m["content"]["data"]["state"]["_model_name"]: m["content"]["comm_id"] for m in opens(mine).values()}
    assert {"ButtonModel", "ButtonStyleModel", "OutputModel", "VBoxModel"} <= set(models)
    msg_id, seen = send(kc, "comm_msg", {"comm_id": models["ButtonModel"],
                                         "data": {"method": "custom", "content": {"event": "click"}}})
    mine = own(seen, msg_id)
    assert types(mine)[0] == "busy" and types(mine)[-1] == "idle"
    outputs = [m["content"]["data"]["state"]["outputs"] for m in mine
               if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == models["OutputModel"]]
    assert outputs[-1] == [{"output_type": "stream", "name": "stdout", "text": "clicked, sweeping\n"}]
    assert not [m for m in seen if m["msg_type"] == "stream" and "clicked" in m["content"]["text"]]


def test_interact_draws_again_on_a_change_and_a_failing_listener_is_shown(kernel):
    _, kc = kernel
    mine = execute(kc, 'var n = new IntSlider("n", 1, 20, 5);'
                       ' display(Interact.interact(() -> "n squared is " + n.value() * n.value(), n));')
    models = {m["content"]["data"]["state"]["_model_name"]: m["content"]["comm_id"] for m in opens(mine).values()}
    first = [m for m in mine if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == models["OutputModel"]]
    assert "n squared is 25" in str(first[-1]["content"]["data"]["state"]["outputs"])
    msg_id, seen = update(kc, models["IntSliderModel"], {"value": 7})
    drawn = [m for m in own(seen, msg_id) if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == models["OutputModel"]]
    assert drawn[-1]["content"]["data"]["state"]["outputs"] == [
        {"output_type": "display_data", "data": {"text/plain": "n squared is 49"}, "metadata": {}}]

    mine = execute(kc, 'var bad = new Checkbox("bad", false);'
                       ' bad.onChange(v -> { throw new IllegalStateException("listener failed on purpose"); });'
                       ' bad.modelId()')
    box = next(iter(c for c, m in opens(mine).items() if m["content"]["data"]["state"]["_model_name"] == "CheckboxModel"))
    msg_id, seen = update(kc, box, {"value": True})
    shown = "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream")
    assert "IllegalStateException: listener failed on purpose" in shown, shown
    assert run(kc, "bad.value()").result() == "true"


def test_an_interrupt_stops_a_runaway_listener_and_the_session_goes_on(kernel):
    km, kc = kernel
    mine = execute(kc, 'var spin = new Checkbox("spin", false); long kept = 42;'
                       ' spin.onChange(v -> { System.out.println("listener spinning"); long n = 0; while (true) { n++; } });')
    box = next(c for c, m in opens(mine).items() if m["content"]["data"]["state"]["_model_name"] == "CheckboxModel")
    msg = kc.session.send(kc.shell_channel.socket, "comm_msg", {"comm_id": box, "data": {
        "method": "update", "state": {"value": True}, "buffer_paths": []}})
    msg_id = msg["header"]["msg_id"]
    deadline = time.monotonic() + TIMEOUT
    seen = []
    while not any(m["msg_type"] == "stream" and "listener spinning" in m["content"]["text"] for m in seen):
        assert time.monotonic() < deadline, "the listener did not start"
        try:
            seen.append(kc.get_iopub_msg(timeout=1))
        except Exception:  # queue.Empty
            pass
    km.interrupt_kernel()
    seen += until_idle(kc, msg_id, 30)
    shown = "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream")
    assert '[thread "comm handler" stopped' in shown, shown
    assert run(kc, "kept + (spin.value() ? 1 : 0)").result() == "43"
