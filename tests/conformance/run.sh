#!/usr/bin/env bash
# Runs the Jupyter peer suite (Debian's python3-jupyter-kernel-test, under /usr/bin/python3) against
# the java-concurrency kernelspec visible through JUPYTER_PATH. Writes JUnit XML to
# $JCN_REPORTS/conformance.xml when JCN_REPORTS is set. JCN_CONFORMANCE_TARGET=fake selects the
# samples for the test interpreter (see test_conformance.py). scripts/conformance.sh wraps this with
# a kernelspec installed into a scratch prefix.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3

if ! "$PY" -c "import jupyter_kernel_test" 2>/dev/null; then
    echo "conformance: jupyter_kernel_test is missing; apt-get install -y python3-jupyter-kernel-test python3-pytest" >&2
    exit 2
fi
if ! "$PY" -c "import pytest" 2>/dev/null; then
    # The suite is plain unittest; pytest only adds the JUnit XML report.
    echo "conformance: no pytest for $PY (apt-get install -y python3-pytest); running with unittest, no XML report" >&2
    cd "$here"
    exec "$PY" -m unittest -v test_conformance
fi
args=(-p no:cacheprovider --noconftest -c /dev/null --rootdir "$here" -v)
if [[ -n "${JCN_REPORTS:-}" ]]; then
    mkdir -p "$JCN_REPORTS"
    args+=(--junitxml "$JCN_REPORTS/conformance.xml")
fi
exec "$PY" -m pytest "${args[@]}" "$here/test_conformance.py"
