"""The set-up behind `make lab` and `make test`: finding a JDK 25, installing the kernelspec without
touching what is already right, and refusing a busy port before JupyterLab starts."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def fake_jdk(home: Path, version: str) -> Path:
    (home / "bin").mkdir(parents=True)
    for tool in ("java", "javac"):
        exe = home / "bin" / tool
        exe.write_text("#!/bin/sh\nexit 0\n")
        exe.chmod(0o755)
    (home / "release").write_text(f'JAVA_VERSION="{version}"\n')
    return home


def find_jdk(env: dict) -> subprocess.CompletedProcess:
    script = f'source "{ROOT}/scripts/common.sh"; jcn_find_jdk; echo "$JAVA_HOME"'
    clean = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "CONDA_PREFIX")}
    clean["PATH"] = "/usr/bin:/bin"  # no javac here: Debian's default java is 17 without a javac link
    return subprocess.run(["bash", "-c", script], env={**clean, **env}, capture_output=True, text=True, timeout=30)


def test_java_home_of_version_25_or_later_is_used(tmp_path):
    jdk = fake_jdk(tmp_path / "jdk-26", "26.0.1")
    result = find_jdk({"JAVA_HOME": str(jdk), "JCN_JVM_ROOT": str(tmp_path / "none")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(jdk)


def test_an_older_java_home_is_passed_over_for_a_jdk_25(tmp_path):
    old = fake_jdk(tmp_path / "old" / "jdk-17", "17.0.15")
    new = fake_jdk(tmp_path / "jvm" / "temurin-25-jdk", "25.0.3")
    result = find_jdk({"JAVA_HOME": str(old), "JCN_JVM_ROOT": str(tmp_path / "jvm")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(new)


def test_no_jdk_25_stops_with_one_line_saying_how_to_get_one(tmp_path):
    fake_jdk(tmp_path / "jvm" / "jdk-21", "21.0.2")
    result = find_jdk({"JCN_JVM_ROOT": str(tmp_path / "jvm")})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no JDK 25 found" in lines[0] and "JAVA_HOME" in lines[0] and "environment.yml" in lines[0]


def install(prefix: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ROOT / "scripts" / "install-kernel.sh")],
                          env=dict(os.environ, PREFIX=str(prefix)), capture_output=True, text=True, timeout=1200)


def test_install_kernel_with_prefix_writes_the_spec_once(tmp_path):
    first = install(tmp_path)
    assert first.returncode == 0, first.stderr
    spec = tmp_path / "share" / "jupyter" / "kernels" / "java-concurrency" / "kernel.json"
    assert spec.is_file()
    assert '"language": "java"' in spec.read_text()
    written = spec.stat().st_mtime_ns
    again = install(tmp_path)
    assert again.returncode == 0, again.stderr
    assert "installed kernelspec" not in again.stderr
    assert spec.stat().st_mtime_ns == written


def test_make_lab_refuses_a_busy_port_before_starting(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(["bash", str(ROOT / "scripts" / "lab.sh")],
                                env=dict(os.environ, PORT=str(port)), capture_output=True, text=True, timeout=1200)
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is busy" in result.stderr
    assert f"make lab PORT={port + 1}" in result.stderr
    assert "JupyterLab with the" not in result.stderr


@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_make_lab_refuses_a_port_that_is_not_a_port(port):
    result = subprocess.run(["bash", str(ROOT / "scripts" / "lab.sh")],
                            env=dict(os.environ, PORT=port), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: PORT must be a number from 1 to 65535, not '{port}'"
