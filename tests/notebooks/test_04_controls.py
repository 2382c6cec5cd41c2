"""Notebook 04's controls (the cell tagged `controls`). Headless, the executed notebook shows them as text only.
Through the kernel, with the messages JupyterLab sends, after the notebook's own parameters and single-carrier
cells: choosing the notes' number and a nap every 10,000 divisions, then clicking Run again, runs the three
spinners of section 2 on that number and the two napping spinners of section 4 at that interval, prints their
lines into the Output widget, and a progress bar counts the five runs to the end.
"""

from __future__ import annotations

from controls import headless_text, page, progress_bar, source_of, states  # noqa: F401 (page: a fixture)

NB = "04-The-Real-Impact-of-the-GIL"
SLOW_PRIME = 5_000_111_000_222_021


def test_headless_the_controls_show_as_text(executed_notebook):
    assert headless_text(executed_notebook(NB)) == "VBox(2 children)"


def test_run_again_uses_the_chosen_number_and_nap_interval(page):
    page.execute(source_of(NB, "parameters"))
    page.execute(source_of(NB, "freeze"))
    models = page.models(page.execute(source_of(NB, "controls")))
    labels = models["DropdownModel"][0]["content"]["data"]["state"]["_options_labels"]
    assert "9,223,372,036,854,775,783" in labels and f"{SLOW_PRIME:,}" in labels

    page.update(models, "DropdownModel", {"index": labels.index(f"{SLOW_PRIME:,}")})
    page.update(models, "IntSliderModel", {"value": 10_000})
    clicked = page.click(models)

    total, bar_states = progress_bar(clicked)
    assert total == 5
    assert [s["value"] for s in bar_states if "value" in s][-1] == total
    assert bar_states[-1] == {"bar_style": "success"}
    outputs = states(clicked, models["OutputModel"][0])[-1]["outputs"]
    lines = "".join(o.get("text", "") for o in outputs).replace("\r", "\n").splitlines()
    assert f"number={SLOW_PRIME} napEvery=10000" in lines
    for kind in ("platform", "process", "virtual"):
        assert [l for l in lines if l.startswith(f"spinner={kind} frames=")], lines
    for work in ("prime-yield", "prime-park"):
        assert [l for l in lines if l.startswith(f"single-carrier work={work} frames=")], lines
