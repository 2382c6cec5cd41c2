"""Notebook 06's controls (the cell tagged `controls`). Headless, the executed notebook shows them as text only.
Through the kernel, with the messages JupyterLab sends: the cell's own code, after a small sweep standing in for
section 1, shows a worker range, a model list and a Run button; choosing 1..2 workers and "threads", then
clicking Run sweep runs the sweep again, a progress bar counts its runs to the total, both chart images are
redrawn in place with new PNG bytes, and both charts are saved again under their names.
"""

from __future__ import annotations

from controls import headless_text, page, progress_bar, source_of, states  # noqa: F401 (page: a fixture)

NB = "06-Timings-vs-Worker-Count"
PNG_MAGIC = b"\x89PNG"

STAND_IN = """int cores = Runtime.getRuntime().availableProcessors();
List<Integer> workers = List.of(1, 2);
List<String> models = List.of("threads");
int repeats = 1;
SweepResult result = Sweep.of(models).workers(workers).repeats(repeats).run();
var timeChart = Charts.timeVsWorkers(result);
var speedupChart = Charts.speedupVsWorkers(result);"""


def test_headless_the_controls_show_as_text(executed_notebook):
    assert headless_text(executed_notebook(NB)) == "VBox(3 children)"


def test_run_sweep_counts_its_runs_redraws_both_charts_in_place_and_saves_them(page, tmp_path):
    page.execute(STAND_IN)
    models = page.models(page.execute(source_of(NB, "controls")))
    assert len(models["ImageModel"]) == 2
    images = {m["content"]["comm_id"]: bytes(m["buffers"][0]) for m in models["ImageModel"]}
    assert all(b.startswith(PNG_MAGIC) for b in images.values())
    labels = models["SelectMultipleModel"][0]["content"]["data"]["state"]["_options_labels"]

    page.update(models, "IntRangeSliderModel", {"value": [1, 2]})
    page.update(models, "SelectMultipleModel", {"index": [labels.index("threads")]})
    clicked = page.click(models)

    total, bar_states = progress_bar(clicked)
    assert total == 3, "the sequential baseline, then threads at 1 and at 2 workers"
    assert [s["value"] for s in bar_states if "value" in s][-1] == total
    assert bar_states[-1] == {"bar_style": "success"}
    redrawn = {m["content"]["comm_id"]: bytes(m["buffers"][0]) for m in clicked
               if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] in images}
    assert set(redrawn) == set(images)
    assert all(b.startswith(PNG_MAGIC) and b != images[c] for c, b in redrawn.items())
    for name in ("06-timings", "06-speedup"):
        for ext in ("png", "svg"):
            assert (tmp_path / "figures" / f"{name}.{ext}").stat().st_size > 0
    logged = [s.get("outputs") for s in states(clicked, models["OutputModel"][0])]
    assert "charts redrawn and saved" in str(logged[-1])
