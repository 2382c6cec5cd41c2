"""Every notebook is committed clean and runs top to bottom through the java-concurrency kernel,
twice on the same kernel (as "Run All" pressed a second time)."""

from __future__ import annotations

import nbformat
import pytest

from nbcheck import error_outputs

import nbexec

NOTEBOOKS = nbexec.notebook_paths()
ids = [p.stem for p in NOTEBOOKS]


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no NN-Title.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_committed_without_outputs_on_the_java_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    spec = nb.metadata.get("kernelspec", {})
    assert spec.get("name") == "java-concurrency"
    assert spec.get("language") == "java"
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"code cells {dirty} carry outputs or execution counts; commit notebooks cleared"


def _unexpected_errors(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and error_outputs(c)
            and "raises-exception" not in c.get("metadata", {}).get("tags", [])]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_executes_top_to_bottom(path, notebook_run):
    run = notebook_run(path.stem)
    assert run.failed_pass != 1, f"first pass stopped: {run.error}"
    first = run.passes[0]
    assert not _unexpected_errors(first)
    code = [c for c in first.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code), "some code cells did not run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_run_all_again_on_the_same_kernel(path, notebook_run):
    run = notebook_run(path.stem)
    assert run.failed_pass is None, f"pass {run.failed_pass} stopped: {run.error}"
    assert len(run.passes) == 2
    assert not _unexpected_errors(run.passes[1])
