"""Headless notebook execution through the project's kernel (nbclient), for `make notebooks`,
`make run` and the pytest harness.

    python scripts/nbexec.py all                           # every notebook -> build/executed/
    python scripts/nbexec.py run 06 'workers=[1,2,4,8]'    # one notebook with new parameters

Notebooks execute with notebooks/ as their working directory, so the charts they export land in
notebooks/figures/; the executed copies go to build/executed/ and the committed notebooks stay clean.
Parameters follow papermill's convention: the new values go into a cell tagged
`injected-parameters`, placed right after the cell tagged `parameters`.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXECUTED = ROOT / "build" / "executed"
KERNEL_NAME = "java-concurrency"
DEFAULT_CELL_TIMEOUT = int(os.environ.get("CELL_TIMEOUT") or "900")
STARTUP_TIMEOUT = 120


class Refused(Exception):
    """Bad input, reported as one line before anything runs."""


@dataclass
class Run:
    """One execution of a notebook: the node after each completed pass; when a cell failed, the
    failure, the pass it happened in (1-based) and the node as it stood then."""

    passes: list = field(repr=False)
    error: str | None
    failed_pass: int | None
    partial: object | None = field(repr=False)
    seconds: float

    @property
    def last(self):
        return self.partial if self.partial is not None else self.passes[-1]


def notebook_paths() -> list[Path]:
    """The curriculum notebooks, in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def find_notebook(spec: str) -> Path:
    """`06`, `6`, `06-Timings-vs-Worker-Count`, or a path to an .ipynb."""
    path = Path(spec)
    if path.suffix == ".ipynb" and path.is_file():
        return path.resolve()
    if spec.isdigit():
        spec = f"{int(spec):02d}"
    matches = [p for p in notebook_paths() if p.stem == spec or p.stem.startswith(spec + "-")]
    if len(matches) != 1:
        names = ", ".join(p.stem[:2] for p in notebook_paths()) or "none"
        raise Refused(f"no single notebook matches NB={spec!r} (notebooks: {names})")
    return matches[0]


def has_tag(cell, tag: str) -> bool:
    return tag in cell.get("metadata", {}).get("tags", [])


def parse_params(text: str) -> list[tuple[str, str]]:
    """`workers=[1, 2, 4] repeats=3; model="threads"` -> [(name, raw value), ...].

    A new pair starts at `name=` after a space, `;` or `,` outside brackets and quotes, so list
    values may contain spaces and commas.
    """
    if not text.strip():
        return []
    pair_start = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\s*=(?!=)")
    separators = " ;,\t\n"
    starts, depth, quote, escaped = [], 0, "", False
    for j, c in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == quote:
                quote = ""
            continue
        if depth == 0 and (j == 0 or text[j - 1] in separators) and pair_start.match(text, j):
            starts.append(j)
        if c in "\"'":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
    if not starts or text[: starts[0]].strip(" ;,\t\n"):
        raise Refused(f"PARAMS must be name=value pairs, e.g. PARAMS='workers=[1,2,4,8] repeats=3'; got {text!r}")
    pairs = []
    for n, s in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        name, _, value = text[s:end].partition("=")
        value = value.strip().rstrip(";,").strip()
        if not value:
            raise Refused(f"parameter {name.strip()!r} has no value")
        pairs.append((name.strip(), value))
    return pairs


def java_home() -> Path:
    home = os.environ.get("JAVA_HOME")
    if not home or not (Path(home) / "bin" / "java").exists():
        raise Refused("JAVA_HOME is not set to a JDK 25 (the Makefile sets it; run through make)")
    return Path(home)


def injected_parameters_source(nb, pairs: list[tuple[str, str]]) -> str:
    """Checks the overrides against the notebook's parameters cell (by compiling them with javac)
    and returns the source of the injected cell."""
    cells = nb.cells
    index = next((i for i, c in enumerate(cells) if c.cell_type == "code" and has_tag(c, "parameters")), None)
    if index is None:
        raise Refused("the notebook has no code cell tagged 'parameters', so it takes no parameters")
    imports = []
    for cell in cells[: index + 1]:
        if cell.cell_type == "code":
            imports += re.findall(r"^\s*import\s+((?:static\s+)?[\w.]+(?:\.\*)?)\s*;", cell.source, re.M)
    with tempfile.TemporaryDirectory() as tmp:
        cell_file = Path(tmp) / "parameters.jsh"
        cell_file.write_text(cells[index].source)
        imports_file = Path(tmp) / "imports.txt"
        imports_file.write_text("\n".join(imports) + ("\n" if imports else ""))
        # what cells compile against: the helpers, their libraries and the notebook API (no sources jars,
        # whose newer .java files javac would compile instead of the classes)
        cell = ROOT / "kernel" / "target" / "cell"
        classpath = ":".join(str(p) for p in sorted(cell.glob("*.jar")) if not p.name.endswith("-sources.jar"))
        command = [str(java_home() / "bin" / "java"), str(ROOT / "scripts" / "NotebookParameters.java"),
                   "--cell", str(cell_file), "--imports", str(imports_file), "--classpath", classpath]
        command += [f"{name}={value}" for name, value in pairs]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        message = (result.stderr.strip().splitlines() or ["the parameter check failed"])[-1]
        raise Refused(message)
    return result.stdout


def inject(nb, source: str):
    """Places (or replaces) the cell tagged injected-parameters right after the parameters cell."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if not has_tag(c, "injected-parameters")]
    index = next(i for i, c in enumerate(nb.cells) if has_tag(c, "parameters"))
    cell = nbformat.v4.new_code_cell(
        "// Parameters injected for this run (they replace the values above).\n" + source.rstrip("\n"),
        metadata={"tags": ["injected-parameters"]},
    )
    nb.cells.insert(index + 1, cell)
    return nb


def failure_text(error: Exception) -> str:
    if isinstance(error, CellExecutionError):
        text = f"{error.ename}: {error.evalue}" if getattr(error, "ename", "") else str(error)
        return (text.strip().splitlines() or ["error"])[0]
    if isinstance(error, CellTimeoutError):
        return f"a cell timed out: {str(error).splitlines()[0]}"
    if isinstance(error, DeadKernelError):
        return f"the kernel died: {error}"
    if isinstance(error, NoSuchKernel):
        return f"no kernelspec {error.args[0] if error.args else ''!s} is installed (make install-kernel)"
    return f"{type(error).__name__}: {error}"


def execute(nb, *, kernel_name: str = KERNEL_NAME, cwd: Path = NOTEBOOKS, timeout: int = DEFAULT_CELL_TIMEOUT,
            passes: int = 1) -> Run:
    """Runs every cell top to bottom `passes` times on one kernel (the second pass is "Run All"
    again on the same kernel, with the state the first pass left). Cells tagged raises-exception
    may fail; any other error stops the run and is reported in Run.error."""
    nb = copy.deepcopy(nb)
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=timeout,
        startup_timeout=STARTUP_TIMEOUT,
        allow_errors=False,
        coalesce_streams=True,
        resources={"metadata": {"path": str(cwd)}},
    )
    snapshots, error, partial, current = [], None, None, None
    started = time.monotonic()
    try:
        with client.setup_kernel():
            for _ in range(passes):
                for current, cell in enumerate(nb.cells):
                    client.execute_cell(cell, current)
                current = None
                snapshots.append(copy.deepcopy(nb))
    except Exception as e:  # noqa: BLE001  every failure (also a kernel that cannot start) becomes one line
        error = failure_text(e) if current is None else f"cell {current}: {failure_text(e)}"
        partial = copy.deepcopy(nb)
    return Run(passes=snapshots, error=error, failed_pass=len(snapshots) + 1 if error else None,
               partial=partial, seconds=time.monotonic() - started)


def execute_to_file(path: Path, nb=None, suffix: str = "", passes: int = 1, out_dir: Path = EXECUTED) -> Run:
    """Executes and writes the executed copy (complete, or up to the failing cell)."""
    nb = nb if nb is not None else nbformat.read(path, as_version=4)
    run = execute(nb, passes=passes)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{path.stem}{suffix}.ipynb"
    nbformat.write(run.last, out)
    status = "ok" if run.error is None else f"FAILED ({run.error})"
    print(f"{path.stem}: {status} in {run.seconds:.1f} s -> {out.relative_to(ROOT)}", flush=True)
    return run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("all", help="execute every notebook into build/executed/")
    one = sub.add_parser("run", help="execute one notebook with parameters injected")
    one.add_argument("notebook", help="number (06) or name of the notebook")
    one.add_argument("params", nargs="?", default="", help="name=value pairs, e.g. 'workers=[1,2,4,8]'")
    args = parser.parse_args(argv)
    try:
        if args.command == "all":
            paths = notebook_paths()
            if not paths:
                print("no notebooks in notebooks/", file=sys.stderr)
                return 1
            failed = [p.stem for p in paths if execute_to_file(p).error is not None]
            figures = sorted((NOTEBOOKS / "figures").glob("*.png")) if (NOTEBOOKS / "figures").is_dir() else []
            print(f"executed {len(paths)} notebook(s), {len(failed)} failed; charts in notebooks/figures/ ({len(figures)} PNG)")
            return 1 if failed else 0
        if not args.notebook:
            raise Refused("say which notebook: make run NB=06 PARAMS='workers=[1,2,4,8]'")
        path = find_notebook(args.notebook)
        nb = nbformat.read(path, as_version=4)
        pairs = parse_params(args.params)
        suffix = ""
        if pairs:
            nb = inject(nb, injected_parameters_source(nb, pairs))
            suffix = "-params"
            print(f"{path.stem}: running with " + ", ".join(f"{n}={v}" for n, v in pairs), flush=True)
        return 0 if execute_to_file(path, nb, suffix).error is None else 1
    except Refused as e:
        print(f"make run: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
