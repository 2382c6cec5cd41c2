#!/usr/bin/env bash
# `make test`: the set-up of `make lab`, then every test suite; each suite runs even when an earlier
# one failed, and the run ends with the runners' summary lines and a non-zero status on any failure.
#   1. Java unit tests of kernel/ and helpers/ (./mvnw verify, Surefire)
#   2. kernel conformance (scripts/conformance.sh: jupyter_kernel_test under Debian's python3)
#   3. pytest over tests/: kernel tests, notebooks executed through the kernel with their claim
#      checks, the browser check in JupyterLab, the environment files
# Extra arguments go to pytest (e.g. scripts/test.sh -k browser).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

cd "$JCN_ROOT"
started=$SECONDS
reports="$JCN_BUILD/reports"
rm -rf "$reports" kernel/target/surefire-reports helpers/target/surefire-reports "$JCN_BUILD/browser-thread-output.json"
mkdir -p "$reports" "$JCN_LOGS"

jcn_find_jdk
jcn_python_env

declare -a names=() statuses=() details=()
record() { names+=("$1"); statuses+=("$2"); details+=("$3"); }

# 1. Java: verify builds the jars too, so a green run leaves the kernel ready for the rest.
echo "==> Java unit tests: ./mvnw -B verify"
set +e
./mvnw -B -ntp verify 2>&1 | tee "$JCN_LOGS/maven-verify.log"
java_rc=${PIPESTATUS[0]}
set -e
java_line="$(grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' \
    "$JCN_LOGS/maven-verify.log" | sed 's/^\[[A-Z]*\] //' \
    | awk -F'[:,] *' '{r+=$2; f+=$4; e+=$6; s+=$8} END {if (NR) printf "Tests run: %d, Failures: %d, Errors: %d, Skipped: %d", r, f, e, s}')"
if [[ $java_rc -eq 0 ]]; then
    jcn_mark_built
    record "Java unit tests (Surefire)" ok "${java_line:-no Java tests}"
else
    record "Java unit tests (Surefire)" FAILED "${java_line:-the Maven build failed} (log: build/logs/maven-verify.log)"
    # Tests failed but the other suites still need a kernel: package without running tests.
    (jcn_build) || true
fi

kernel_ready=1
if [[ ! -f kernel/target/kernel.jar ]]; then
    kernel_ready=0
    record "kernelspec" FAILED "kernel/target/kernel.jar was not built"
else
    if (jcn_install_kernel); then :; else kernel_ready=0; record "kernelspec" FAILED "install failed"; fi
fi

# 2. Conformance: the peer suite jupyter_kernel_test against the real kernel, run by the kernel's
#    own script under Debian's python3 (where python3-jupyter-kernel-test installs it).
if [[ -f scripts/conformance.sh ]]; then
    echo "==> kernel conformance: scripts/conformance.sh"
    set +e
    PYTEST_ADDOPTS="--junitxml=$reports/conformance.xml" bash scripts/conformance.sh
    conf_rc=$?
    set -e
    if [[ $conf_rc -eq 0 ]]; then record "kernel conformance" ok "jupyter_kernel_test (scripts/conformance.sh)"
    else record "kernel conformance" FAILED "scripts/conformance.sh exited $conf_rc"; fi
else
    record "kernel conformance" FAILED "scripts/conformance.sh is missing"
fi

# 3. pytest: one session, so each notebook executes once for all of its checks.
echo "==> pytest tests/"
set +e
"$JCN_PYTHON" -m pytest tests --durations=12 --junitxml="$reports/pytest.xml" "$@"
py_rc=$?
set -e
py_line="$("$JCN_PYTHON" - "$reports/pytest.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    sys.exit(0)
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
n = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
print(f"{n['tests'] - n['failures'] - n['errors'] - n['skipped']} passed, {n['failures']} failed, "
      f"{n['errors']} errors, {n['skipped']} skipped")
PY
)"
if [[ $py_rc -eq 0 ]]; then record "pytest" ok "$py_line"
elif [[ $py_rc -eq 5 ]]; then record "pytest" FAILED "no tests were collected"
else record "pytest" FAILED "${py_line:-pytest exited $py_rc}"; fi

# Totals over every JUnit XML report that this run wrote (Surefire, pytest, conformance if it writes one).
totals="$("$JCN_PYTHON" - "$reports" kernel/target/surefire-reports helpers/target/surefire-reports <<'PY'
import sys, pathlib, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for d in sys.argv[1:]:
    for f in sorted(pathlib.Path(d).glob("*.xml")):
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError:
            continue
        for s in ([root] if root.tag == "testsuite" else root.findall("testsuite")):
            t, fl, e, sk = (int(s.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
            passed += t - fl - e - sk
            failed += fl + e
            skipped += sk
print(passed, failed, skipped)
PY
)"
read -r total_passed total_failed total_skipped <<<"$totals"

echo
echo "==================================== summary ===================================="
overall=0
for i in "${!names[@]}"; do
    printf '%-28s %-7s %s\n' "${names[$i]}" "${statuses[$i]}" "${details[$i]}"
    [[ "${statuses[$i]}" == ok ]] || overall=1
done
if [[ -f "$JCN_BUILD/browser-thread-output.json" ]]; then
    "$JCN_PYTHON" - "$JCN_BUILD/browser-thread-output.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"late thread output in JupyterLab {r['jupyterlab']}: while another cell runs -> {r['busy']['where']}; "
      f"kernel idle -> {r['idle']['where']} (build/browser-thread-output.json)")
PY
fi
[[ $kernel_ready -eq 1 ]] || overall=1
elapsed=$((SECONDS - started))
printf 'make test took %dm%02ds; %s\n' $((elapsed / 60)) $((elapsed % 60)) "$([[ $overall -eq 0 ]] && echo 'all suites passed' || echo 'SOME SUITES FAILED')"
[[ "$total_failed" -eq 0 ]] || overall=1
if [[ $overall -ne 0 && "$total_failed" -eq 0 ]]; then
    # A suite that failed without a failing test case (build error, crash) still counts as a failure.
    total_failed=$(printf '%s\n' "${statuses[@]}" | grep -vc '^ok$' || true)
    [[ "$total_failed" -gt 0 ]] || total_failed=1
fi
echo "total: ${total_passed} passed, ${total_failed} failed, ${total_skipped} skipped"
# Every skip with its reason: a timing claim is skipped only when no core was free for any of its measurements.
"$JCN_PYTHON" - "$reports" kernel/target/surefire-reports helpers/target/surefire-reports <<'PY'
import sys, pathlib, xml.etree.ElementTree as ET
skips = []
for d in sys.argv[1:]:
    for f in sorted(pathlib.Path(d).glob("*.xml")):
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError:
            continue
        for case in root.iter("testcase"):
            skipped = case.find("skipped")
            if skipped is not None:
                why = (skipped.get("message") or skipped.text or "no reason given").strip()
                skips.append(f"  {case.get('classname')}::{case.get('name')}: {why}")
print(f"skipped ({len(skips)}):" if skips else "skipped: none")
for line in skips:
    print(line)
PY
exit $overall
