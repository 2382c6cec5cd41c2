"""What a reader can count on in every notebook, read from the committed files and the executed copies: an H1
naming the notes' section, an opening that says what the run will show, a parameters cell near the top (every
notebook measures something) and a "What to try" section that names each parameter, a closing summary rendered
from this run's own numbers, and code lines that fit in 100 characters."""

from __future__ import annotations

import re

import nbformat
import pytest

import nbexec
from nbcheck import cells_by_tag, text_output

NOTEBOOKS = nbexec.notebook_paths()
ids = [p.stem for p in NOTEBOOKS]


def committed(path):
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_code_lines_fit_in_100_characters(path):
    long = [(i, line) for i, c in enumerate(committed(path).cells) if c.cell_type == "code"
            for line in c.source.splitlines() if len(line) > 100]
    assert not long, "code lines over 100 characters:\n" + "\n".join(f"cell {i}: {l}" for i, l in long)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_opens_with_its_title_and_what_the_run_will_show(path):
    first = committed(path).cells[0]
    assert first.cell_type == "markdown"
    title = first.source.splitlines()[0]
    assert re.fullmatch(rf"# {path.stem[:2]} · [^()]+ \(.*[\uac00-\ud7a3].*\)", title), title
    assert "**What you will see.**" in first.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_has_parameters_near_the_top_and_says_what_to_try(path):
    cells = committed(path).cells
    params = [i for i, c in enumerate(cells) if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "one cell tagged parameters"
    assert params[0] <= 3, f"the parameters cell is cell {params[0]}: it belongs near the top"
    names = re.findall(r"^\s*[\w<>, ]+?\s+(\w+)\s*=", cells[params[0]].source, re.M)
    tries = [c.source for c in cells if c.cell_type == "markdown" and c.source.startswith("## What to try")]
    assert tries, "a markdown cell starting with '## What to try'"
    unnamed = [n for n in names if f"`{n}" not in tries[0]]
    assert not unnamed, f"'What to try' does not say what to do with {unnamed}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_ends_with_a_summary_of_this_run(path, executed_notebook):
    nb = executed_notebook(path.stem)
    [summary] = cells_by_tag(nb, "summary")
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    assert nb.cells.index(summary) >= code[-3], "the summary is among the last cells"
    text = text_output(summary)
    assert text.startswith("This run"), text
    assert re.search(r"\d", text), "the summary carries this run's numbers"


def test_start_here_links_every_other_notebook():
    [start, *others] = NOTEBOOKS
    text = "\n".join(c.source for c in committed(start).cells if c.cell_type == "markdown")
    missing = [p.name for p in others if f"]({p.name})" not in text]
    assert start.stem.startswith("00") and not missing, f"00 does not link {missing}"
