#!/usr/bin/env bash
# Load test of the HTTP API: starts `threatmon serve` on loopback, drives POST /v1/analyze with wrk
# at a fixed concurrency (unique texts, so the verdict cache never helps), prints requests/s and
# latency percentiles, and stops the server.
#
# Usage: scripts/load-test.sh [-c CONNECTIONS] [-t THREADS] [-d SECONDS] [-p PORT]
# Needs wrk (Debian package `wrk`) and Java 17; builds the CLI jar via ./threatmon when stale.
set -euo pipefail

connections=16 threads=2 duration=30 port=18089
while getopts "c:t:d:p:" opt; do
  case "$opt" in
    c) connections=$OPTARG ;; t) threads=$OPTARG ;; d) duration=$OPTARG ;; p) port=$OPTARG ;;
    *) echo "usage: $0 [-c CONNECTIONS] [-t THREADS] [-d SECONDS] [-p PORT]" >&2; exit 1 ;;
  esac
done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v wrk >/dev/null || { echo "load-test: error: wrk not found (apt-get install wrk)" >&2; exit 1; }

"$ROOT/threatmon" version >/dev/null            # builds cli/target/threatmon.jar if stale
key="load-test-key"
log="$(mktemp)"
THREATMON_API_KEYS="$key" java -jar "$ROOT/cli/target/threatmon.jar" serve --port "$port" 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { echo "load-test: error: server did not start:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.5
done
cat "$log" >&2

echo "warm-up (10 s) ..." >&2
THREATMON_LOADTEST_KEY="$key" wrk -t "$threads" -c "$connections" -d 10s -s "$ROOT/scripts/load-test.lua" \
  "http://127.0.0.1:$port" >/dev/null
echo "measuring: wrk -t $threads -c $connections -d ${duration}s --latency POST /v1/analyze" >&2
THREATMON_LOADTEST_KEY="$key" wrk -t "$threads" -c "$connections" -d "${duration}s" --latency \
  -s "$ROOT/scripts/load-test.lua" "http://127.0.0.1:$port" | tee /dev/stderr |
  awk '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} / 50%/ {p50=$2}
       END {printf "requests/s %s  p50 %s  p99 %s\n", rps, p50, p99}'
