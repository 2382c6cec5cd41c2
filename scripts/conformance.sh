#!/usr/bin/env bash
# Runs the Jupyter peer suite (Debian's python3-jupyter-kernel-test) against our kernel.
#   scripts/conformance.sh          the real kernel (user code in its own JVM)
#   scripts/conformance.sh --fake   the protocol layer alone, with the test interpreter
# Needs kernel/target/kernel.jar (./mvnw -pl kernel package) and, for --fake, the test classes.
# The kernelspec goes to a scratch prefix under kernel/target, so nothing outside the tree changes.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
PY=/usr/bin/python3
target=real
[[ "${1:-}" == "--fake" ]] && target=fake

if [[ ! -f kernel/target/kernel.jar ]]; then
  echo "conformance: kernel/target/kernel.jar is missing; build with ./mvnw -B -q -pl kernel package" >&2
  exit 2
fi
if ! "$PY" -c "import jupyter_kernel_test" 2>/dev/null; then
  echo "conformance: jupyter_kernel_test is missing; apt-get install -y python3-jupyter-kernel-test" >&2
  exit 2
fi

prefix="$PWD/kernel/target/conformance-$target"
rm -rf "$prefix"
"$JAVA_HOME/bin/java" -cp "kernel/target/kernel.jar:kernel/target/lib/*" dev.jcn.kernel.Main install --prefix "$prefix" >/dev/null
spec="$prefix/share/jupyter/kernels/java-concurrency/kernel.json"
"$PY" - "$spec" "$target" "$PWD" <<'PYEOF'
import json, sys
path, target, root = sys.argv[1:]
spec = json.load(open(path))
spec["env"]["JCN_KERNEL_LOG"] = f"{root}/kernel/target/conformance-{target}/kernel.log"
if target == "fake":
    cp = spec["argv"].index("-cp") + 1
    spec["argv"][cp] += f":{root}/kernel/target/test-classes"
    spec["env"]["JCN_KERNEL_INTERPRETER"] = "dev.jcn.kernel.testing.FakeInterpreter"
json.dump(spec, open(path, "w"), indent=2)
PYEOF

export JUPYTER_PATH="$prefix/share/jupyter"
export JCN_CONFORMANCE_TARGET="$target"
if "$PY" -c "import pytest" 2>/dev/null; then
  exec "$PY" -m pytest -p no:cacheprovider -v tests/conformance/test_conformance.py
else
  exec "$PY" -m unittest -v tests/conformance/test_conformance.py
fi
