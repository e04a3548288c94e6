#!/usr/bin/env bash
# Event-to-alert latency (p50/p99) at fixed input rates and the stream job's sustained throughput,
# on this machine: a local Kafka broker (scripts/local-kafka.sh), `threatmon stream` running on an
# embedded Flink cluster, and benchmarks/StreamLatency.java publishing and measuring.
#
# Usage: benchmarks/stream-latency.sh [--rates "500 2000"] [--seconds 60] [--checkpoint-interval 10s]
#                                     [--parallelism 2] [--max-messages 200000]
# Prints one line per rate, then one for the maximum rate (publishing as fast as the broker takes
# it, --max-messages messages; 0 skips it). Alerts are exactly-once, so a consumer reading
# read_committed sees them only when the checkpoint after them commits: latency ≈ the time to the
# next checkpoint plus its duration. See benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

rates="500 2000"; seconds=60; checkpoint=10s; parallelism=2; max_messages=200000
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) rates="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --checkpoint-interval) checkpoint="$2"; shift 2 ;;
    --parallelism) parallelism="$2"; shift 2 ;;
    --max-messages) max_messages="$2"; shift 2 ;;
    *) echo "stream-latency: error: unknown argument '$1'" >&2; exit 1 ;;
  esac
done

free_port() { python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port="$(free_port)"; cport="$(free_port)"
work="$(mktemp -d "${TMPDIR:-/tmp}/threatmon-bench-stream.XXXXXX")"
kafka=(scripts/local-kafka.sh --port "$port" --controller-port "$cport" --dir "$work/kafka")
stream_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$stream_pid" ] && kill -0 "$stream_pid" 2>/dev/null; then
    kill -TERM "$stream_pid" 2>/dev/null || true
    wait "$stream_pid" 2>/dev/null || true
  fi
  "${kafka[0]}" stop "${kafka[@]:1}" >/dev/null 2>&1 || true
  [ "$rc" -ne 0 ] && [ -f "$work/stream.err" ] && { echo "stream-latency: job stderr:" >&2; tail -20 "$work/stream.err" >&2; }
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

./threatmon version >/dev/null             # builds the CLI jar if stale
"${kafka[0]}" start "${kafka[@]:1}"
bootstrap="localhost:$port"
for t in "bench-in:$parallelism" bench-alerts:1 bench-reports:1 bench-dead-letters:1; do
  "${kafka[0]}" topics "${kafka[@]:1}" -- --create --topic "${t%%:*}" --partitions "${t##*:}" --replication-factor 1 >/dev/null
done

./threatmon stream --bootstrap-servers "$bootstrap" --input-topic bench-in --alerts-topic bench-alerts \
  --reports-topic bench-reports --dead-letter-topic bench-dead-letters --group-id bench \
  --parallelism "$parallelism" --checkpoint-interval "$checkpoint" \
  >"$work/stream.out" 2>"$work/stream.err" &
stream_pid=$!

measure() {
  java -cp cli/target/threatmon.jar benchmarks/StreamLatency.java --bootstrap-servers "$bootstrap" \
    --input-topic bench-in --alerts-topic bench-alerts --group bench "$@"
}
echo "stream-latency: checkpoint interval $checkpoint, parallelism $parallelism, $(nproc) cores (shared machine)" >&2
# Warm-up: returns once the job has committed what was published, i.e. it runs and checkpoints.
measure --rate 50 --seconds 5 --drain-timeout 180 >/dev/null
for r in $rates; do
  measure --rate "$r" --seconds "$seconds"
done
if [ "$max_messages" -gt 0 ]; then
  measure --rate 0 --messages "$max_messages" --drain-timeout 600
fi
