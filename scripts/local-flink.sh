#!/usr/bin/env bash
# A real standalone Apache Flink 2.2.0 session cluster (one JobManager, one TaskManager) on localhost,
# run from Maven artifacts: no Docker, no Flink download (flink-dist is not on Maven Central; see
# scripts/flink/pom.xml for what stands in for it). The first start resolves the classpath with Maven
# into ~/.m2 and caches it; later starts work offline. Unlike the MiniCluster of the tests, jobs run
# in separate JVMs from a submitted jar, with Flink's own defaults for network buffers, class loading
# (child-first) and serialization.
#
# Usage: scripts/local-flink.sh start|stop|status|flink [--port 8081] [--rpc-port 6123] [--slots 2]
#                               [--dir DIR] [--keep-data] [-- FLINK_ARGS...]
#   start    write DIR/conf (config.yaml, as docker-compose.yml's FLINK_PROPERTIES plus loopback
#            addresses) and start the JobManager and a TaskManager in the background; returns when the
#            REST API reports the TaskManager's slots. Already running on this DIR: says so, exit 0.
#   stop     stop both (SIGTERM, SIGKILL after 30 s) and delete DIR/checkpoints (savepoints too) and
#            DIR/tmp; --keep-data keeps the checkpoints and savepoints. Logs stay in DIR/log.
#   status   "running: jobmanager pid N, taskmanager pid M, http://localhost:PORT (DIR)" and exit 0,
#            or "not running" and exit 3.
#   flink    the Flink CLI against this cluster, e.g.
#              flink -- run -c io.threatmon.jobs.AuditMain jobs/target/threatmon-jobs.jar --input … --out …
#              flink -- run -d -c io.threatmon.jobs.StreamMain jobs/target/threatmon-jobs.jar …
#              flink -- list | flink -- stop --savepointPath DIR/checkpoints/savepoints JOB_ID
#   --port       REST API and web UI port (default 8081); --rpc-port the JobManager's RPC port (6123)
#   --slots      task slots of the TaskManager (default 2, as in docker-compose.yml)
#   --dir        working directory (default target/local-flink-PORT in the checkout): conf/, log/,
#                checkpoints/ (savepoints/ inside), tmp/, *.pid
# Environment: FLINK_PROPERTIES (extra config.yaml lines, as for the flink image; a key given there
# replaces this script's default), LOCAL_FLINK_JM_MEMORY (1600m) and LOCAL_FLINK_TM_MEMORY (1728m),
# the image's process sizes; LOCAL_FLINK_START_TIMEOUT (seconds, 90).
set -euo pipefail

ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$ROOT/scripts/flink/pom.xml"
CP_CACHE="$ROOT/scripts/flink/target/classpath.txt"

# shellcheck source=lib/local-services.sh
source "$ROOT/scripts/lib/local-services.sh"

die() { echo "local-flink: error: $*" >&2; exit 1; }
note() { echo "local-flink: $*" >&2; }

cmd=""
port=8081; rpc_port=6123; slots=2; dir=""; keep=false; tool_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    start|stop|status|flink)
      [ -z "$cmd" ] || die "two commands given: '$cmd' and '$1'"
      cmd="$1"; shift ;;
    --port) port="${2:?--port needs a value}"; shift 2 ;;
    --port=*) port="${1#*=}"; shift ;;
    --rpc-port) rpc_port="${2:?--rpc-port needs a value}"; shift 2 ;;
    --rpc-port=*) rpc_port="${1#*=}"; shift ;;
    --slots) slots="${2:?--slots needs a value}"; shift 2 ;;
    --slots=*) slots="${1#*=}"; shift ;;
    --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
    --dir=*) dir="${1#*=}"; shift ;;
    --keep-data) keep=true; shift ;;
    --) shift; tool_args=("$@"); break ;;
    -h|--help) sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1': commands are start, stop, status and flink (try --help)" ;;
  esac
done
for p in "$port" "$rpc_port"; do
  [[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -ge 1 ] && [ "$p" -le 65535 ] || die "ports must be port numbers, not '$p'"
done
[ "$port" != "$rpc_port" ] || die "--rpc-port must differ from --port"
[[ "$slots" =~ ^[1-9][0-9]*$ ]] || die "--slots must be a positive number, not '$slots'"
dir="${dir:-$ROOT/target/local-flink-$port}"
dir="$(realpath -m "$dir")"
CONF="$dir/conf"
LOG="$dir/log"

command -v java >/dev/null 2>&1 || die "java not found on PATH (Java 17 or later is needed)"

# Java 17 module access Flink needs (Kryo, Pekko, the memory manager): the flink-dist config.yaml's
# env.java.default-opts.all, which bin/config.sh passes to every Flink JVM.
JAVA_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# The cluster's classpath: cached after the first Maven resolve so later starts need no network.
classpath() { maven_classpath Flink; }


# GET http://localhost:PORT$1 without curl; prints the body.
http_get() {
  ( exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1" >&3
    sed '1,/^\r\{0,1\}$/d' <&3 ) 2>/dev/null
}

# The pid in DIR/NAME.pid, if that process is alive and is this directory's NAME.
running_pid() { # running_pid jobmanager|taskmanager
  local f="$dir/$1.pid" pid cls
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] || return 1
  case "$1" in
    jobmanager) cls=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint ;;
    taskmanager) cls=org.apache.flink.runtime.taskexecutor.TaskManagerRunner ;;
  esac
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$cls --configDir $CONF" || return 1
  echo "$pid"
}

write_config() {
  mkdir -p "$CONF" "$LOG" "$dir/checkpoints/savepoints" "$dir/tmp"
  local extra="${FLINK_PROPERTIES:-}" line key
  {
    echo "# Written by scripts/local-flink.sh: a session cluster on loopback. FLINK_PROPERTIES come last."
    while IFS= read -r line; do
      key="${line%%:*}"
      # A key FLINK_PROPERTIES sets replaces the default (YAML does not allow a key twice).
      grep -qE "^[[:space:]]*${key//./\\.}[[:space:]]*:" <<<"$extra" || echo "$line"
    done <<EOF
jobmanager.rpc.address: localhost
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: localhost
taskmanager.bind-host: localhost
taskmanager.host: localhost
rest.address: localhost
rest.bind-address: localhost
rest.port: $port
jobmanager.memory.process.size: ${LOCAL_FLINK_JM_MEMORY:-1600m}
taskmanager.memory.process.size: ${LOCAL_FLINK_TM_MEMORY:-1728m}
taskmanager.numberOfTaskSlots: $slots
parallelism.default: $slots
execution.checkpointing.dir: file://$dir/checkpoints
execution.checkpointing.savepoint-dir: file://$dir/checkpoints/savepoints
state.backend.type: hashmap
taskmanager.network.sort-shuffle.min-buffers: 128
io.tmp.dirs: $dir/tmp
web.upload.dir: $dir/tmp
EOF
    [ -z "$extra" ] || printf '%s\n' "$extra"
  } >"$CONF/config.yaml"
}

# bin/jobmanager.sh and bin/taskmanager.sh work out the JVM's memory flags with BashJavaUtils: line 1
# the JVM flags (-Xmx …), line 2 the resolved memory options (-D …) for the process itself.
memory_params() { # memory_params GET_JM_RESOURCE_PARAMS|GET_TM_RESOURCE_PARAMS CLASSPATH
  local out
  out="$(java "${JAVA_OPENS[@]}" -Xmx128m -cp "$2" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
           --configDir "$CONF" 2>&1)" || die "working out the memory settings failed: $(tail -5 <<<"$out")"
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
  [ "$(grep -c '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out")" -eq 2 ] \
    || die "working out the memory settings failed: $(tail -5 <<<"$out")"
}

launch() { # launch NAME CLASS GET_*_RESOURCE_PARAMS CLASSPATH
  local name="$1" cls="$2" params jvm dyn pid
  params="$(memory_params "$3" "$4")"
  jvm="$(sed -n 1p <<<"$params")"; dyn="$(sed -n 2p <<<"$params")"
  # shellcheck disable=SC2086
  nohup java $jvm "${JAVA_OPENS[@]}" -Dlog.file="$LOG/$name.log" \
    -Dlog4j.configurationFile="file:$ROOT/scripts/flink/log4j2.properties" \
    -classpath "$4" "$cls" --configDir "$CONF" $dyn >"$LOG/$name.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/$name.pid"
  echo "$pid"
}

start() {
  local jm tm cp
  jm="$(running_pid jobmanager || true)"; tm="$(running_pid taskmanager || true)"
  if [ -n "$jm" ] && [ -n "$tm" ]; then
    note "already running (jobmanager pid $jm, taskmanager pid $tm) on http://localhost:$port ($dir)"
    return 0
  fi
  [ -z "$jm$tm" ] || die "half running (jobmanager pid ${jm:-none}, taskmanager pid ${tm:-none}): run stop first"
  port_open "$port" && die "port $port is already in use by another process (choose --port)"
  port_open "$rpc_port" && die "port $rpc_port is already in use by another process (choose --rpc-port)"
  cp="$(classpath)"
  write_config
  jm="$(launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS "$cp")"
  tm="$(launch taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS "$cp")"
  local deadline=$((SECONDS + ${LOCAL_FLINK_START_TIMEOUT:-90})) overview=""
  until [[ "$overview" == *"\"slots-total\":$slots,"* ]]; do
    local dead=""
    kill -0 "$jm" 2>/dev/null || dead=jobmanager
    kill -0 "$tm" 2>/dev/null || dead="${dead:-taskmanager}"
    if [ -n "$dead" ] || [ $SECONDS -ge $deadline ]; then
      stop_pid "$tm"; stop_pid "$jm"; rm -f "$dir"/*.pid
      [ -n "$dead" ] && die "the $dead exited during start-up; last lines of $LOG/$dead.log:"$'\n'"$(tail -15 "$LOG/$dead.log" 2>/dev/null || tail -15 "$LOG/$dead.out")"
      die "no TaskManager with $slots slots registered within ${LOCAL_FLINK_START_TIMEOUT:-90} s; see $LOG"
    fi
    sleep 1
    overview="$(http_get /overview || true)"
  done
  note "started Flink 2.2.0: jobmanager pid $jm, taskmanager pid $tm ($slots slots), http://localhost:$port, dir $dir"
}

stop() {
  local any=false pid
  for n in taskmanager jobmanager; do
    if pid="$(running_pid "$n")"; then
      stop_pid "$pid"; any=true
      note "stopped the $n (pid $pid)"
    fi
    rm -f "$dir/$n.pid"
  done
  $any || note "not running ($dir)"
  rm -rf "$dir/tmp"
  $keep || rm -rf "$dir/checkpoints"
}

status() {
  local jm tm
  jm="$(running_pid jobmanager || true)"; tm="$(running_pid taskmanager || true)"
  if [ -n "$jm" ] && [ -n "$tm" ]; then
    echo "running: jobmanager pid $jm, taskmanager pid $tm, http://localhost:$port ($dir)"
  elif [ -n "$jm$tm" ]; then
    echo "half running: jobmanager pid ${jm:-none}, taskmanager pid ${tm:-none} ($dir)"
    exit 3
  else
    echo "not running ($dir)"
    exit 3
  fi
}

flink_cli() {
  running_pid jobmanager >/dev/null || die "not running on localhost:$port ($dir): run start first"
  [ "${#tool_args[@]}" -gt 0 ] || die "flink needs the CLI's arguments after --, e.g. flink -- list"
  # As bin/flink: the client reads DIR/conf/config.yaml (REST address) and logs to a file.
  FLINK_CONF_DIR="$CONF" exec java "${JAVA_OPENS[@]}" -Dlog.file="$LOG/flink-client.log" \
    -Dlog4j.configurationFile="file:$ROOT/scripts/flink/log4j2-cli.properties" \
    -classpath "$(classpath)" org.apache.flink.client.cli.CliFrontend "${tool_args[@]}"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  flink) flink_cli ;;
  *) sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 1 ;;
esac
