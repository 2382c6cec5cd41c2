"""Driving a notebook's controls through the kernel with the messages JupyterLab sends.

    def test_...(page):                                    # the fixture below: a fresh kernel and its Page
        page.execute(source_of(NB, "parameters"))
        shown = page.execute(source_of(NB, "controls"))
        models = page.models(shown)                        # {"ButtonModel": [comm_open, ...], ...}
        page.update(models, "IntSliderModel", {"value": 3})
        clicked = page.click(models, "ButtonModel")        # IOPub up to the click's idle
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

import iopub
from nbcheck import cell_by_tag, error_outputs, text_output

KERNEL = "java-concurrency"
TIMEOUT = 120
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def headless_text(executed, tag: str = "controls") -> str:
    """What the executed notebook's cell tagged `tag` shows without a widget page (it must show no error)."""
    cell = cell_by_tag(executed, tag)
    assert not error_outputs(cell)
    return text_output(cell).strip()


def source_of(nb_name: str, tag: str) -> str:
    """The source of the committed notebook's one cell tagged `tag`."""
    from nbformat import read

    return "".join(cell_by_tag(read(str(NOTEBOOKS / f"{nb_name}.ipynb"), as_version=4), tag).source)


class Page:
    """A kernel client that has opened the widget control comm, as a page with a widget manager does."""

    def __init__(self, kc):
        self.kc = kc
        self.send("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget.control", "data": {}})

    def until_idle(self, msg_id: str) -> list[dict]:
        return iopub.until_idle(self.kc, msg_id, TIMEOUT)

    def send(self, msg_type: str, content: dict) -> list[dict]:
        sent = self.kc.session.send(self.kc.shell_channel.socket, msg_type, content)
        return self.until_idle(sent["header"]["msg_id"])

    def execute(self, code: str) -> list[dict]:
        seen = self.until_idle(self.kc.execute(code))
        errors = [m["content"] for m in seen if m["msg_type"] == "error"]
        assert not errors, errors
        return seen

    @staticmethod
    def models(seen: list[dict]) -> dict[str, list[dict]]:
        """The comm_open messages among `seen`, by widget model name, in order."""
        opened: dict[str, list[dict]] = {}
        for m in seen:
            if m["msg_type"] == "comm_open":
                opened.setdefault(m["content"]["data"]["state"]["_model_name"], []).append(m)
        return opened

    def update(self, models: dict, model: str, state: dict) -> list[dict]:
        return self.send("comm_msg", {"comm_id": models[model][0]["content"]["comm_id"],
                                      "data": {"method": "update", "state": state, "buffer_paths": []}})

    def click(self, models: dict, model: str = "ButtonModel") -> list[dict]:
        return self.send("comm_msg", {"comm_id": models[model][0]["content"]["comm_id"],
                                      "data": {"method": "custom", "content": {"event": "click"}}})


def states(seen: list[dict], opened: dict) -> list[dict]:
    """The state updates among `seen` for the widget whose comm_open is `opened`."""
    comm_id = opened["content"]["comm_id"]
    return [m["content"]["data"]["state"] for m in seen
            if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id]


def progress_bar(seen: list[dict]) -> tuple[int, list[dict]]:
    """The total of the one progress bar opened among `seen`, and its state updates."""
    bar = next(m for m in seen if m["msg_type"] == "comm_open"
               and m["content"]["data"]["state"]["_model_name"] == "IntProgressModel")
    return bar["content"]["data"]["state"]["max"], states(seen, bar)


@pytest.fixture
def page(kernel_prefix, tmp_path):
    """A fresh kernel whose charts go to tmp_path/figures, with a Page on it."""
    with controls_kernel(tmp_path) as p:
        yield p


@contextlib.contextmanager
def controls_kernel(tmp_path: Path):
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(env={**os.environ, "JCN_FIGURES": str(tmp_path / "figures")})
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=TIMEOUT)
        yield Page(client)
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=False)
