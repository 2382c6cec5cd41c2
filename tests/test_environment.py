"""environment.yml (conda) and requirements.txt (pip) install the same Python packages."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# conda-only entries: the interpreter, the JDK, Maven and pip itself.
NOT_PYTHON_PACKAGES = {"python", "openjdk", "maven", "pip"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(spec: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$", spec)
    assert match, f"cannot read package spec {spec!r}"
    return _normalise(match.group(1)), match.group(2).replace(" ", "")


def conda_packages() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env.get("channels") == ["conda-forge"]
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    packages = dict(_split(s) for s in specs)
    return {n: v for n, v in packages.items() if n not in NOT_PYTHON_PACKAGES}


def pip_packages() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    specs = [line.split("#", 1)[0].strip() for line in lines]
    return dict(_split(s) for s in specs if s)


def test_conda_and_pip_list_the_same_python_packages():
    assert conda_packages() == pip_packages()


def test_conda_environment_has_the_toolchain():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    specs = dict(_split(d) for d in env["dependencies"] if isinstance(d, str))
    assert specs["openjdk"] == "=25"
    assert specs["maven"].startswith("=3.9")
    assert specs["python"] == ">=3.11", "no upper bound: a newer CPython, with or without the GIL, is fine"
    assert specs["jupyterlab"].startswith(">=4.4")


def test_the_environment_in_use_satisfies_requirements():
    from importlib.metadata import PackageNotFoundError, version

    from packaging.specifiers import SpecifierSet

    wrong = []
    for name, spec in pip_packages().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            wrong.append(f"{name} (missing)")
            continue
        if installed not in SpecifierSet(spec):
            wrong.append(f"{name} {installed} (wants {spec})")
    assert not wrong, f"this environment does not match requirements.txt: {wrong}"
