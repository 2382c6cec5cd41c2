#!/usr/bin/env bash
# `make notebooks` (all) and `make run NB=.. PARAMS=..` (run): headless execution through the kernel.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [[ "${1:-}" == run && -z "${NB:-}" ]]; then
    jcn_die "say which notebook: make run NB=06 PARAMS='workers=[1,2,4,8]'"
fi
jcn_setup
cd "$JCN_ROOT"
if [[ "$1" == run ]]; then
    exec "$JCN_PYTHON" scripts/nbexec.py run "$NB" "${PARAMS:-}"
fi
exec "$JCN_PYTHON" scripts/nbexec.py all
