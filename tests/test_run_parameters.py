"""`make run NB=.. PARAMS=..`: parameters are parsed, checked against the notebook's parameters cell
by the JDK's compiler, and injected after it in papermill's way; bad input is refused in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import nbexec

ROOT = Path(__file__).resolve().parent.parent

PARAMETERS = """\
List<Integer> workers = List.of(1, 2);
int[] sizes = {10, 20};
int repeats = 3;
String model = "threads";
boolean warmup = true;
Duration budget = Duration.ofSeconds(5);
"""


@pytest.fixture(scope="module")
def notebook(tmp_path_factory) -> Path:
    nb = new_notebook(cells=[
        new_markdown_cell("# 99 · Parameters check"),
        new_code_cell("import java.time.Duration;"),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell("workers"),
    ], metadata={"kernelspec": {"name": "java-concurrency", "language": "java", "display_name": "Java"}})
    path = tmp_path_factory.mktemp("nb") / "99-Parameters.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module", autouse=True)
def jdk():
    if not os.environ.get("JAVA_HOME"):
        pytest.fail("JAVA_HOME is not set (make test sets it to a JDK 25)", pytrace=False)


def injected(notebook: Path, params: str) -> str:
    nb = nbformat.read(notebook, as_version=4)
    return nbexec.injected_parameters_source(nb, nbexec.parse_params(params))


def test_pairs_are_split_outside_brackets_and_quotes():
    assert nbexec.parse_params('workers=[1, 2, 4] repeats=3; model="a b=c"') == [
        ("workers", "[1, 2, 4]"), ("repeats", "3"), ("model", '"a b=c"')]


@pytest.mark.parametrize("text", ["junk", "4", "workers=", "x a=1"])
def test_malformed_params_are_refused(text):
    with pytest.raises(nbexec.Refused):
        nbexec.parse_params(text)


def test_python_lists_become_the_declared_java_type(notebook):
    source = injected(notebook, "workers=[1,2,4,8] sizes=[5,6] model=virtual warmup=False budget=Duration.ofMillis(10)")
    assert source.splitlines() == [
        "List<Integer> workers = List.of(1, 2, 4, 8);",
        "int[] sizes = new int[]{5, 6};",
        'String model = "virtual";',
        "boolean warmup = false;",
        "Duration budget = Duration.ofMillis(10);",
    ]


@pytest.mark.parametrize("params, reason", [
    ("threads=4", "'threads' is not declared"),
    ("workers=[1,\"two\"]", "is not valid Java for 'List<Integer> workers'"),
    ("repeats=2.5", "is not valid Java for 'int repeats'"),
    ("budget=(", "is not valid Java for 'Duration budget'"),
])
def test_bad_parameters_are_refused_with_one_line(notebook, params, reason):
    with pytest.raises(nbexec.Refused) as refused:
        injected(notebook, params)
    message = str(refused.value)
    assert reason in message
    assert "\n" not in message


def test_the_injected_cell_follows_the_parameters_cell(notebook):
    nb = nbexec.inject(nbformat.read(notebook, as_version=4), "int repeats = 5;\n")
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    at = tags.index(["parameters"])
    assert tags[at + 1] == ["injected-parameters"]
    assert nb.cells[at + 1].source.endswith("int repeats = 5;")
    again = nbexec.inject(nb, "int repeats = 6;\n")
    assert [t for t in (c.metadata.get("tags", []) for c in again.cells)].count(["injected-parameters"]) == 1


def test_make_run_refuses_before_running(notebook):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "nbexec.py"), "run", str(notebook), "nope=1"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "'nope' is not declared" in result.stderr
