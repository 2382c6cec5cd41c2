#!/usr/bin/env bash
# `make lab`: set up (JDK, build, Python env, kernelspec) and serve notebooks/ in JupyterLab.
#   PORT=8888 (default), HOST=127.0.0.1 (default), LAB_ARGS='...' passed on to jupyter lab.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

port="${PORT:-8888}"
host="${HOST:-127.0.0.1}"
[[ "$port" =~ ^[0-9]+$ && "$port" -ge 1 && "$port" -le 65535 ]] || jcn_die "PORT must be a number from 1 to 65535, not '$port'"

jcn_setup

if ! "$JCN_PYTHON" - "$host" "$port" <<'PY'
import socket, sys
with socket.socket() as s:
    try:
        s.bind((sys.argv[1], int(sys.argv[2])))
    except OSError:
        sys.exit(1)
PY
then
    jcn_die "port $port on $host is busy (another JupyterLab?); stop it or pick another: make lab PORT=$((port + 1))"
fi

token="$("$JCN_PYTHON" -c 'import secrets; print(secrets.token_hex(24))')"
url="http://$host:$port/lab?token=$token"
jcn_say ""
jcn_say "JupyterLab with the $JCN_KERNEL_NAME kernel (JDK: $JAVA_HOME):"
jcn_say "    $url"
jcn_say "(Ctrl-C to stop)"
jcn_say ""
extra=()
# Jupyter refuses to start as root unless told; containers and CI machines often run as root.
[[ "$(id -u)" -eq 0 ]] && extra+=(--ServerApp.allow_root=True)
cd "$JCN_ROOT/notebooks"
# shellcheck disable=SC2086
exec "$JCN_PYTHON" -m jupyterlab "${extra[@]}" --ServerApp.ip="$host" --ServerApp.port="$port" --ServerApp.port_retries=0 \
    --IdentityProvider.token="$token" --ServerApp.root_dir="$JCN_ROOT/notebooks" \
    --MappingKernelManager.default_kernel_name="$JCN_KERNEL_NAME" ${LAB_ARGS:-}
