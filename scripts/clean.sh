#!/usr/bin/env bash
# `make clean`: Maven's target/ directories and build/ (executed notebooks, logs, stamps).
# The .venv stays (make distclean removes it); notebooks/figures/ is content and stays.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

cd "$JCN_ROOT"
rm -rf build kernel/target helpers/target target
find notebooks tests -name .ipynb_checkpoints -type d -prune -exec rm -rf {} + 2>/dev/null || true
echo "removed build/ and the modules' target/"
