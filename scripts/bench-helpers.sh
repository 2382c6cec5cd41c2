#!/usr/bin/env bash
# Runs the helpers benchmark (dev.jcn.helpers.bench.HelpersBenchmark) from the packaged jar.
# Usage: scripts/bench-helpers.sh [--quick] [--cluster | --jdwp] [--record helpers/BENCHMARKS.md]
#   --cluster, --jdwp: only the cluster figures, or only what loading the JDWP agent costs
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [[ -x "$candidate/bin/java" ]]; then JAVA_HOME="$candidate"; break; fi
  done
fi
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]]; then
  echo "bench-helpers: no JDK 25 found; set JAVA_HOME to one" >&2
  exit 1
fi
export JAVA_HOME

jar=helpers/target/helpers-0.1.0-SNAPSHOT.jar
# Rebuild when any source or pom of the helpers (or the notebook API they use) is newer than the jar;
# the build also copies the helpers' runtime dependencies into helpers/target/lib.
if [[ ! -f "$jar" || ! -d helpers/target/lib \
      || -n "$(find helpers/src/main helpers/pom.xml api/src/main api/pom.xml pom.xml -newer "$jar" -print -quit)" ]]; then
  ./mvnw -q -B -am -pl helpers package -DskipTests
fi

exec "$JAVA_HOME/bin/java" --enable-preview -Djava.awt.headless=true --sun-misc-unsafe-memory-access=allow \
  -cp "$(pwd)/$jar:$(pwd)/helpers/target/lib/*" dev.jcn.helpers.bench.HelpersBenchmark "$@"
