#!/usr/bin/env bash
# `make bench` (helpers) and `make bench-kernel` (kernel): set up, then the benchmark's own script.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

cd "$JCN_ROOT"
case "${1:-}" in
    kernel)
        [[ -f scripts/bench-kernel.py ]] || jcn_die "scripts/bench-kernel.py is missing: the kernel benchmark is not in this checkout"
        jcn_setup
        # shellcheck disable=SC2086
        exec "$JCN_PYTHON" scripts/bench-kernel.py ${BENCH_ARGS:-} ;;
    helpers)
        [[ -f scripts/bench-helpers.sh ]] || jcn_die "scripts/bench-helpers.sh is missing: the helpers benchmark is not in this checkout"
        jcn_find_jdk
        jcn_build
        # shellcheck disable=SC2086
        exec bash scripts/bench-helpers.sh ${BENCH_ARGS:-} ;;
    *) jcn_die "usage: scripts/bench.sh kernel|helpers" ;;
esac
