# Shared set-up for the Makefile's targets: a JDK 25, the Python environment, the build and the
# kernelspec. Sourced by the other scripts; every step is quick when there is nothing to do.
#
#   source scripts/common.sh
#   jcn_setup            # JDK + build + Python env + kernelspec in the env
#   "$JCN_PYTHON" -m pytest tests

set -euo pipefail

JCN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JCN_BUILD="$JCN_ROOT/build"
JCN_STAMPS="$JCN_BUILD/stamps"
JCN_LOGS="$JCN_BUILD/logs"
JCN_KERNEL_NAME="java-concurrency"
JCN_MIN_JAVA=25
JCN_MIN_PYTHON="3.11"

jcn_say() { printf '%s\n' "$*" >&2; }
jcn_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Major version of the JDK at $1 (from its release file, else from `java -version`); empty if none.
jcn_jdk_major() {
    local home="$1" version=""
    [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 0
    if [[ -r "$home/release" ]]; then
        version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
    fi
    if [[ -z "$version" ]]; then
        version="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
    fi
    version="${version#1.}"
    printf '%s' "${version%%[.+-]*}"
}

# Sets and exports JAVA_HOME to a JDK >= 25: JAVA_HOME itself, the conda environment's JDK,
# /usr/lib/jvm/*25*, any other JDK under /usr/lib/jvm, then the javac on PATH.
jcn_find_jdk() {
    local candidates=() c major
    [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
    if [[ -n "${CONDA_PREFIX:-}" ]]; then
        # conda-forge's openjdk lives in lib/jvm on recent builds, directly in the prefix on older ones.
        candidates+=("$CONDA_PREFIX/lib/jvm" "$CONDA_PREFIX")
    fi
    local jvms="${JCN_JVM_ROOT:-/usr/lib/jvm}"
    for c in "$jvms"/*25* "$jvms"/*; do [[ -d "$c" ]] && candidates+=("$c"); done
    if command -v javac >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
    fi
    for c in "${candidates[@]}"; do
        major="$(jcn_jdk_major "$c")"
        if [[ -n "$major" && "$major" =~ ^[0-9]+$ && "$major" -ge "$JCN_MIN_JAVA" ]]; then
            export JAVA_HOME="$c"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    jcn_die "no JDK ${JCN_MIN_JAVA} found (looked at JAVA_HOME, \$CONDA_PREFIX, /usr/lib/jvm, PATH); get one with 'conda env create -f environment.yml && conda activate java-concurrency-notebooks' or from https://adoptium.net (Temurin 25), then set JAVA_HOME to it."
}

# On a machine that carries an offline copy of the package index, pip must use it; elsewhere
# pip keeps its own configuration (PyPI).
jcn_pip_index() {
    if [[ -z "${PIP_INDEX_URL:-}" && -d /opt/pypi/simple ]]; then
        export PIP_INDEX_URL="file:///opt/pypi/simple"
    fi
}

jcn_hash() { cat "$@" | sha256sum | cut -c1-16; }

# Sets JCN_PYTHON (the interpreter with Jupyter and the test packages) and JCN_ENV_PREFIX.
# An activated conda environment other than base is used (and updated from environment.yml when
# that file changed); otherwise the project's .venv is created or updated from requirements.txt.
jcn_python_env() {
    mkdir -p "$JCN_STAMPS" "$JCN_LOGS"
    if [[ -n "${CONDA_PREFIX:-}" && "${CONDA_DEFAULT_ENV:-base}" != "base" && -x "$CONDA_PREFIX/bin/python" ]]; then
        JCN_PYTHON="$CONDA_PREFIX/bin/python"
        JCN_ENV_PREFIX="$CONDA_PREFIX"
        local want stamp="$JCN_STAMPS/conda-$(printf '%s' "$CONDA_PREFIX" | sha256sum | cut -c1-12)"
        want="$(jcn_hash "$JCN_ROOT/environment.yml")"
        if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
            local conda_cmd
            conda_cmd="$(command -v mamba || command -v conda || true)"
            [[ -n "$conda_cmd" ]] || jcn_die "a conda environment is active but neither conda nor mamba is on PATH"
            jcn_say "updating the conda environment $CONDA_PREFIX from environment.yml ..."
            "$conda_cmd" env update --prefix "$CONDA_PREFIX" --file "$JCN_ROOT/environment.yml" \
                > "$JCN_LOGS/conda.log" 2>&1 || { tail -n 20 "$JCN_LOGS/conda.log" >&2; jcn_die "conda env update failed (log: build/logs/conda.log)"; }
            printf '%s' "$want" > "$stamp"
        fi
    else
        local venv="$JCN_ROOT/.venv" base="${PYTHON:-python3}"
        JCN_PYTHON="$venv/bin/python"
        JCN_ENV_PREFIX="$venv"
        if [[ ! -x "$JCN_PYTHON" ]]; then
            command -v "$base" >/dev/null 2>&1 || jcn_die "no $base on PATH: install Python >= $JCN_MIN_PYTHON, or use conda with environment.yml"
            "$base" -c "import sys; sys.exit(sys.version_info < tuple(map(int, '$JCN_MIN_PYTHON'.split('.'))))" \
                || jcn_die "$base is $("$base" -V 2>&1); Python >= $JCN_MIN_PYTHON is needed (set PYTHON=/path/to/python3.11+)"
            jcn_say "creating .venv with $("$base" -V 2>&1) ..."
            "$base" -m venv "$venv"
        fi
        local want stamp="$venv/.requirements.sha256"
        want="$(jcn_hash "$JCN_ROOT/requirements.txt")"
        if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
            jcn_pip_index
            jcn_say "installing requirements.txt into .venv (log: build/logs/pip.log) ..."
            "$JCN_PYTHON" -m pip install --disable-pip-version-check -r "$JCN_ROOT/requirements.txt" \
                > "$JCN_LOGS/pip.log" 2>&1 || { grep -v '^WARNING: Location' "$JCN_LOGS/pip.log" | tail -n 20 >&2; jcn_die "pip install failed (log: build/logs/pip.log)"; }
            printf '%s' "$want" > "$stamp"
        fi
    fi
    export JCN_PYTHON JCN_ENV_PREFIX
    export PATH="$(dirname "$JCN_PYTHON"):$PATH"
}

# Newest input of the Maven build newer than the last successful build (or the jar missing)?
jcn_build_is_stale() {
    local stamp="$JCN_STAMPS/maven-package"
    [[ -f "$stamp" && -f "$JCN_ROOT/kernel/target/kernel.jar" && -d "$JCN_ROOT/kernel/target/lib" ]] || return 0
    local newer
    newer="$(cd "$JCN_ROOT" && find pom.xml .mvn ./*/pom.xml ./*/src/main -type f -newer "$stamp" 2>/dev/null | head -n 1)"
    [[ -n "$newer" ]]
}

jcn_mark_built() { mkdir -p "$JCN_STAMPS"; touch "$JCN_STAMPS/maven-package"; }

# Packages the reactor (without tests) when a source or pom is newer than the last build.
jcn_build() {
    if jcn_build_is_stale; then
        jcn_say "building the kernel and helpers (./mvnw package) ..."
        mkdir -p "$JCN_LOGS"
        (cd "$JCN_ROOT" && ./mvnw -B -q -ntp -DskipTests package) > "$JCN_LOGS/maven-package.log" 2>&1 \
            || { tail -n 40 "$JCN_LOGS/maven-package.log" >&2; jcn_die "the Maven build failed (log: build/logs/maven-package.log)"; }
        jcn_mark_built
    fi
}

jcn_kernel_classpath() { printf '%s' "$JCN_ROOT/kernel/target/kernel.jar:$JCN_ROOT/kernel/target/lib/*"; }

# Installs the kernelspec under PREFIX/share/jupyter/kernels/java-concurrency (default: the Python
# environment's prefix). The spec is written to a scratch prefix first and copied only when it
# differs, so a repeated install leaves the files untouched.
jcn_install_kernel() {
    local prefix="${1:-$JCN_ENV_PREFIX}" scratch
    mkdir -p "$JCN_BUILD"
    scratch="$(mktemp -d "$JCN_BUILD/kernelspec.XXXXXX")"
    if ! "$JAVA_HOME/bin/java" --enable-preview -cp "$(jcn_kernel_classpath)" dev.jcn.kernel.Main install \
            --prefix "$scratch" --name "$JCN_KERNEL_NAME" > "$JCN_LOGS/install-kernel.log" 2>&1; then
        rm -rf "$scratch"
        tail -n 20 "$JCN_LOGS/install-kernel.log" >&2
        jcn_die "installing the kernelspec failed (log: build/logs/install-kernel.log)"
    fi
    local from="$scratch/share/jupyter/kernels/$JCN_KERNEL_NAME" to="$prefix/share/jupyter/kernels/$JCN_KERNEL_NAME"
    [[ -f "$from/kernel.json" ]] || { rm -rf "$scratch"; jcn_die "the kernel's installer wrote no kernel.json"; }
    if ! diff -rq "$from" "$to" >/dev/null 2>&1; then
        mkdir -p "$(dirname "$to")"
        rm -rf "$to"
        cp -r "$from" "$to"
        jcn_say "installed kernelspec $JCN_KERNEL_NAME in $to"
    fi
    rm -rf "$scratch"
}

jcn_setup() {
    jcn_find_jdk
    jcn_build
    jcn_python_env
    jcn_install_kernel
}
