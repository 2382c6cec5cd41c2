"""Session fixtures shared by the Python tests.

    # tests/notebooks/test_03_spinner.py
    from nbcheck import cell_by_tag, text_output

    def test_spinner_prints_frames(executed_notebook):
        nb = executed_notebook("03-Spinner")
        assert "|" in text_output(cell_by_tag(nb, "spinner-thread"))

`kernel_prefix` builds the kernel when its sources changed and installs the kernelspec
`java-concurrency` into a temporary prefix that every Jupyter client of this session sees first
(JUPYTER_PATH). `executed_notebook(name)` executes notebooks/<name>.ipynb once per session through
that kernel and returns the executed nbformat node; `notebook_run(name)` gives the whole run,
including the second "Run All" pass on the same kernel; `measurements(name)(i)` gives the i-th measurement
of the notebook's timing claims (see nbcheck.timing_claim).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# nbexec (scripts/) is shared with `make notebooks` and `make run`. It is imported inside the
# fixtures because this file is also loaded by the conformance suite under Debian's python3,
# which has pytest but not the notebook packages.
sys.path.insert(0, str(ROOT / "scripts"))

KERNEL_NAME = "java-concurrency"
EXECUTED_BY_TESTS = ROOT / "build" / "executed" / "tests"


@pytest.fixture(scope="session")
def kernel_prefix(tmp_path_factory) -> Path:
    """A prefix holding share/jupyter/kernels/java-concurrency, first on this session's JUPYTER_PATH."""
    prefix = tmp_path_factory.mktemp("jupyter-prefix")
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "install-kernel.sh")],
        env=dict(os.environ, PREFIX=str(prefix)),
        capture_output=True, text=True, timeout=1200,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        pytest.fail(f"building or installing the kernel failed:\n{tail}", pytrace=False)
    data_dir = prefix / "share" / "jupyter"
    patch = pytest.MonkeyPatch()
    existing = os.environ.get("JUPYTER_PATH")
    patch.setenv("JUPYTER_PATH", str(data_dir) + (os.pathsep + existing if existing else ""))

    from jupyter_client.kernelspec import KernelSpecManager

    spec_dir = Path(KernelSpecManager().find_kernel_specs().get(KERNEL_NAME, ""))
    if spec_dir != data_dir / "kernels" / KERNEL_NAME:
        patch.undo()
        pytest.fail(f"Jupyter resolves {KERNEL_NAME} to {spec_dir or 'nothing'}, not to {data_dir}", pytrace=False)
    yield prefix
    patch.undo()


@pytest.fixture(scope="session")
def notebook_run(kernel_prefix):
    """notebook_run(name) -> nbexec.Run with two passes ("Run All" twice on one kernel), cached."""
    import nbexec

    runs: dict[str, nbexec.Run] = {}

    def run(name: str) -> nbexec.Run:
        path = nbexec.find_notebook(name)
        if path.stem not in runs:
            runs[path.stem] = nbexec.execute_to_file(path, passes=2, out_dir=EXECUTED_BY_TESTS)
        return runs[path.stem]

    return run


@pytest.fixture(scope="session")
def measurements(notebook_run):
    """measurements(name) -> attempt(i), the executed notebook holding the i-th measurement of its timing
    claims: 1 and 2 are the two passes of the session's run, 3 and later a fresh execution each, made only when
    a claim asks for it (nbcheck.timing_claim) and kept under build/executed/tests/measurement-N/."""
    import nbexec

    extra: dict[tuple[str, int], object] = {}

    def attempts(name: str):
        path = nbexec.find_notebook(name)

        def attempt(i: int):
            run = notebook_run(name)
            if i <= len(run.passes):
                return run.passes[i - 1]
            if (path.stem, i) not in extra:
                extra[(path.stem, i)] = nbexec.execute_to_file(
                    path, passes=1, out_dir=EXECUTED_BY_TESTS / f"measurement-{i}")
            again = extra[(path.stem, i)]
            if not again.passes:
                pytest.fail(f"{name} did not execute for measurement {i}: {again.error}", pytrace=False)
            return again.passes[0]

        return attempt

    return attempts


@pytest.fixture(scope="session")
def executed_notebook(notebook_run):
    """executed_notebook(name) -> the notebook node after one top-to-bottom run; fails the
    calling test when a cell not tagged raises-exception raised an error."""

    def executed(name: str):
        run = notebook_run(name)
        if not run.passes:
            pytest.fail(f"{name} did not execute: {run.error} (executed copy in {EXECUTED_BY_TESTS})", pytrace=False)
        return run.passes[0]

    return executed
