#!/usr/bin/env bash
# Runs the Jupyter peer suite against our kernel, with its kernelspec installed into a scratch
# prefix under kernel/target (nothing outside the tree changes):
#   scripts/conformance.sh          the real kernel (user code in its own JVM)
#   scripts/conformance.sh --fake   the protocol layer alone, with the test interpreter
# Needs kernel/target/kernel.jar (./mvnw -B -q -am -pl kernel package); --fake also the test classes.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$JCN_ROOT"

jcn_find_jdk
target=real
[[ "${1:-}" == "--fake" ]] && target=fake

if [[ ! -f kernel/target/kernel.jar ]]; then
    echo "conformance: kernel/target/kernel.jar is missing; build with ./mvnw -B -q -am -pl kernel package" >&2
    exit 2
fi

prefix="$PWD/kernel/target/conformance-$target"
rm -rf "$prefix"
"$JAVA_HOME/bin/java" -cp "$(jcn_kernel_classpath)" dev.jcn.kernel.Main install --prefix "$prefix" >/dev/null
spec="$prefix/share/jupyter/kernels/java-concurrency/kernel.json"
/usr/bin/python3 - "$spec" "$target" "$PWD" <<'PYEOF'
import json, sys
path, target, root = sys.argv[1:]
spec = json.load(open(path))
spec["env"]["JCN_KERNEL_LOG"] = f"{root}/kernel/target/conformance-{target}/kernel.log"
if target == "fake":
    cp = spec["argv"].index("-cp") + 1
    spec["argv"][cp] += f":{root}/kernel/target/test-classes"
    spec["argv"][spec["argv"].index("dev.jcn.kernel.Main")] = "dev.jcn.kernel.testing.FakeKernel"
json.dump(spec, open(path, "w"), indent=2)
PYEOF

JUPYTER_PATH="$prefix/share/jupyter" JCN_CONFORMANCE_TARGET="$target" exec bash tests/conformance/run.sh
