#!/usr/bin/env bash
# `make install-kernel [PREFIX=DIR]`: the kernelspec java-concurrency into DIR/share/jupyter/kernels/,
# or, without PREFIX, into the project's Python environment (the active conda env or .venv).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

jcn_find_jdk
jcn_build
if [[ -n "${PREFIX:-}" ]]; then
    prefix="$(realpath -m "$PREFIX")"
else
    jcn_python_env
    prefix="$JCN_ENV_PREFIX"
fi
jcn_install_kernel "$prefix"
echo "kernelspec $JCN_KERNEL_NAME: $prefix/share/jupyter/kernels/$JCN_KERNEL_NAME"
