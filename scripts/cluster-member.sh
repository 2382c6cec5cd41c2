#!/usr/bin/env bash
# `make cluster-member`: one Hazelcast cluster member with its worker, in the foreground, as a user would
# start one on each machine of a cluster (like `celery worker`); a notebook then reaches it with
# Cluster.connect("HOST:PORT", ...). Ctrl-C (or SIGTERM) makes it leave cleanly.
#
#   scripts/cluster-member.sh                                   # 127.0.0.1:5701, cluster name "jcn"
#   scripts/cluster-member.sh --port 5702 --join 127.0.0.1:5701
#   scripts/cluster-member.sh --bind 10.0.0.5 --join 10.0.0.6:5701,10.0.0.7:5701 --workers 2
#
# Options (all optional): --cluster NAME --bind ADDRESS --port N --join HOST:PORT,... --workers N.
# It binds to loopback unless --bind names another interface. It builds the helpers first if needed.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

jcn_find_jdk
jcn_build
cd "$JCN_ROOT"
shopt -s nullglob
# the cells' class path holds the helpers and their libraries (the kernel's own lib/ holds neither)
jars=()
for jar in kernel/target/cell/helpers-*.jar kernel/target/cell/hazelcast-*.jar; do
    [[ "$jar" == *-sources.jar ]] || jars+=("$jar")
done
[[ ${#jars[@]} -eq 2 ]] || jcn_die "the helpers or Hazelcast jar is missing from kernel/target/cell: run make clean, then this again"
classpath="$(IFS=:; printf '%s' "${jars[*]}")"
mapfile -t options < <("$JAVA_HOME/bin/java" -cp "$classpath" dev.jcn.helpers.cluster.MemberMain --jvm-options)
exec "$JAVA_HOME/bin/java" --enable-preview "${options[@]}" -cp "$classpath" dev.jcn.helpers.cluster.MemberMain "$@"
