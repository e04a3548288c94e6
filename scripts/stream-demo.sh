#!/usr/bin/env bash
# The real-time stream end to end on this machine, no Docker: starts a local Kafka broker (its own
# port and directory), creates the topics, publishes LOGFILE (default: samples/conversations.jsonl),
# runs `threatmon stream --bounded` until every published record is consumed, and prints as its LAST
# line the job's summary:
#   processed=N threats=K alerts=A dead_letters=D
# Everything it started is stopped on exit, also on failure or Ctrl-C.
#
# Usage: scripts/stream-demo.sh [LOGFILE] [-- EXTRA_STREAM_FLAGS...]
# Environment: STREAM_DEMO_PORT (default: a free port), STREAM_DEMO_PARALLELISM (default 2),
#              STREAM_DEMO_KEEP=1 keeps the work directory (broker log, topics dump) for inspection.
set -euo pipefail

ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log="$ROOT/samples/conversations.jsonl"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then log="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
extra=("$@")

die() { echo "stream-demo: error: $*" >&2; exit 1; }
note() { echo "stream-demo: $*" >&2; }

[ -f "$log" ] || die "no such log file: $log"
log="$(cd "$(dirname "$log")" && pwd)/$(basename "$log")"

free_port() {
  python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
port="${STREAM_DEMO_PORT:-$(free_port)}"
cport="$(free_port)"
[ "$cport" = "$port" ] && cport="$(free_port)"
parallelism="${STREAM_DEMO_PARALLELISM:-2}"
work="$(mktemp -d "${TMPDIR:-/tmp}/threatmon-stream-demo.XXXXXX")"
kafka=("$ROOT/scripts/local-kafka.sh" --port "$port" --controller-port "$cport" --dir "$work/kafka")
stream_pid=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$stream_pid" ] && kill -0 "$stream_pid" 2>/dev/null; then
    kill -TERM "$stream_pid" 2>/dev/null || true
    wait "$stream_pid" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -f "$work/kafka/kafka.log" ]; then
    note "failed (exit $rc); last broker log lines:"
    tail -5 "$work/kafka/kafka.log" >&2 || true
  fi
  "${kafka[0]}" stop "${kafka[@]:1}" >/dev/null 2>&1 || true
  if [ "${STREAM_DEMO_KEEP:-0}" = "1" ]; then note "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Build the CLI first (if stale) so the broker is not kept waiting on a build.
"$ROOT/threatmon" version >/dev/null

"${kafka[0]}" start "${kafka[@]:1}"
bootstrap="localhost:$port"
input=demo-conversations
for t in "$input:2" demo-alerts:1 demo-reports:1 demo-dead-letters:1; do
  "${kafka[0]}" topics "${kafka[@]:1}" -- --create --topic "${t%%:*}" --partitions "${t##*:}" --replication-factor 1 >/dev/null
done

"$ROOT/threatmon" publish --input "$log" --bootstrap-servers "$bootstrap" --topic "$input"

# --bounded: the job stops once it has read every partition up to the offsets it saw at start,
# i.e. every record just published; its last stdout line is the summary.
"$ROOT/threatmon" stream --bootstrap-servers "$bootstrap" --input-topic "$input" \
  --alerts-topic demo-alerts --reports-topic demo-reports --dead-letter-topic demo-dead-letters \
  --bounded --parallelism "$parallelism" --checkpoint-interval 2s "${extra[@]}" >"$work/stream.out" &
stream_pid=$!
wait "$stream_pid" || die "threatmon stream failed (exit $?)"
stream_pid=""
summary="$(grep -E '^processed=[0-9]+ threats=[0-9]+ alerts=[0-9]+ dead_letters=[0-9]+$' "$work/stream.out" | tail -1 || true)"
[ -n "$summary" ] || die "threatmon stream printed no summary line; its output: $(cat "$work/stream.out")"
echo "$summary"
