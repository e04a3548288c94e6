#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker + controller) on localhost, run from
# Maven artifacts: no Docker, no Kafka download. The first start resolves the broker's classpath with
# Maven (scripts/kafka/pom.xml) into ~/.m2 and caches it; later starts work offline.
#
# Usage: scripts/local-kafka.sh start|stop|status|topics [--port 9092] [--controller-port PORT]
#                                [--dir DIR] [--keep-data] [-- TOOL_ARGS...]
#   start    format DIR (once, with a new cluster id) and start the broker in the background; returns
#            when it answers a metadata request. Already running on this DIR: says so, exit 0.
#   stop     stop the broker (controlled shutdown, SIGKILL after 30 s) and delete its data, keeping
#            DIR/kafka.log; --keep-data keeps the topics for the next start.
#   status   "running pid N on localhost:PORT (DIR)" and exit 0, or "not running" and exit 3.
#   topics   kafka-topics against this broker, e.g. `topics -- --create --topic alerts --partitions 2`.
#   --port             client port (default 9092); the controller listens on --controller-port
#                      (default PORT+1)
#   --dir              working directory (default target/local-kafka-PORT in the checkout): data/,
#                      server.properties, kafka.pid, kafka.log
# Environment: KAFKA_HEAP_OPTS (default -Xms256m -Xmx512m), LOCAL_KAFKA_START_TIMEOUT (seconds, 90).
set -euo pipefail

ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$ROOT/scripts/kafka/pom.xml"
CP_CACHE="$ROOT/scripts/kafka/target/classpath.txt"

# shellcheck source=lib/local-services.sh
source "$ROOT/scripts/lib/local-services.sh"

die() { echo "local-kafka: error: $*" >&2; exit 1; }
note() { echo "local-kafka: $*" >&2; }

cmd=""
port=9092; cport=""; dir=""; keep=false; tool_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    start|stop|status|topics)
      [ -z "$cmd" ] || die "two commands given: '$cmd' and '$1'"
      cmd="$1"; shift ;;
    --port) port="${2:?--port needs a value}"; shift 2 ;;
    --port=*) port="${1#*=}"; shift ;;
    --controller-port) cport="${2:?--controller-port needs a value}"; shift 2 ;;
    --controller-port=*) cport="${1#*=}"; shift ;;
    --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
    --dir=*) dir="${1#*=}"; shift ;;
    --keep-data) keep=true; shift ;;
    --) shift; tool_args=("$@"); break ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1': commands are start, stop, status and topics (try --help)" ;;
  esac
done
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "--port must be a port number, not '$port'"
cport="${cport:-$((port + 1))}"
[[ "$cport" =~ ^[0-9]+$ ]] && [ "$cport" -ge 1 ] && [ "$cport" -le 65535 ] || die "--controller-port must be a port number, not '$cport'"
[ "$cport" != "$port" ] || die "--controller-port must differ from --port"
dir="${dir:-$ROOT/target/local-kafka-$port}"
dir="$(realpath -m "$dir")"
PID_FILE="$dir/kafka.pid"
LOG_FILE="$dir/kafka.log"
PROPS="$dir/server.properties"

command -v java >/dev/null 2>&1 || die "java not found on PATH (Java 17 or later is needed)"

# The broker's classpath: cached after the first Maven resolve so later starts need no network.
classpath() { maven_classpath Kafka; }


# The pid in the pid file, if that process is alive and is this directory's broker.
running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid; pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "kafka.Kafka $PROPS" || return 1
  echo "$pid"
}

write_properties() {
  cat >"$PROPS" <<EOF
# Written by scripts/local-kafka.sh: one node that is both broker and KRaft controller.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=localhost:$cport
listeners=PLAINTEXT://localhost:$port,CONTROLLER://localhost:$cport
advertised.listeners=PLAINTEXT://localhost:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Exactly-once sinks need transaction.timeout.ms <= this (15 min, the Kafka default).
transaction.max.timeout.ms=900000
EOF
}

tool() { # tool CLASS ARGS...: a Kafka command-line tool on the broker classpath
  local cls="$1"; shift
  java -Xmx256m -Dlog4j2.configurationFile="$ROOT/scripts/kafka/log4j2-tools.properties" -cp "$(classpath)" "$cls" "$@"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    note "already running (pid $pid) on localhost:$port ($dir)"
    return 0
  fi
  mkdir -p "$dir"
  rm -f "$PID_FILE"
  port_open "$port" && die "port $port is already in use by another process (choose --port)"
  port_open "$cport" && die "controller port $cport is already in use by another process (choose --controller-port)"
  local cp; cp="$(classpath)"
  write_properties
  if [ ! -f "$dir/data/meta.properties" ]; then
    # What `kafka-storage random-uuid` prints (16 random bytes, URL-safe base64, no padding, not
    # starting with '-'), without starting a JVM for it.
    local cluster_id="-"
    while [[ "$cluster_id" == -* ]]; do
      cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    done
    # transaction.version=1: with Kafka 4.2's default (2), the Flink Kafka connector loses
    # recovered transactions after a restore (see jobs/README.md, "Known issue").
    java -Xmx256m -Dlog4j2.configurationFile="$ROOT/scripts/kafka/log4j2-tools.properties" -cp "$cp" \
      kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$PROPS" \
      --feature transaction.version=1 >"$dir/format.log" 2>&1 \
      || die "formatting $dir/data failed: $(tail -3 "$dir/format.log")"
  fi
  # shellcheck disable=SC2086
  nohup java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$ROOT/scripts/kafka/log4j2.properties" \
    -cp "$cp" kafka.Kafka "$PROPS" >"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  local deadline=$((SECONDS + ${LOCAL_KAFKA_START_TIMEOUT:-90}))
  until port_open "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      die "the broker exited during start-up; last lines of $LOG_FILE:"$'\n'"$(tail -15 "$LOG_FILE")"
    fi
    if [ $SECONDS -ge $deadline ]; then
      stop_pid "$pid"; rm -f "$PID_FILE"
      die "the broker did not open localhost:$port within ${LOCAL_KAFKA_START_TIMEOUT:-90} s; see $LOG_FILE"
    fi
    sleep 0.5
  done
  # The port opens before the broker has caught up with the metadata log: wait for a real metadata answer.
  until tool org.apache.kafka.tools.TopicCommand --bootstrap-server "localhost:$port" --list >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      stop_pid "$pid"; rm -f "$PID_FILE"
      die "the broker did not answer a metadata request on localhost:$port; see $LOG_FILE"
    fi
    sleep 1
  done
  note "started Kafka 4.2.0 (pid $pid) on localhost:$port, controller localhost:$cport, dir $dir"
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    stop_pid "$pid"; rm -f "$PID_FILE"
    note "stopped (pid $pid)"
  else
    rm -f "$PID_FILE"
    note "not running ($dir)"
  fi
  if ! $keep; then
    rm -rf "$dir/data" "$dir/format.log"
  fi
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running pid $pid on localhost:$port ($dir)"
  else
    echo "not running ($dir)"
    exit 3
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  topics)
    running_pid >/dev/null || die "not running on localhost:$port ($dir): run start first"
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "localhost:$port" "${tool_args[@]}" ;;
  *) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 1 ;;
esac
