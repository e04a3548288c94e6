#!/usr/bin/env bash
# Audit-job throughput beside `threatmon batch` on the same texts.
# Usage: benchmarks/bench-audit.sh [MESSAGES] [PARALLELISM] [EXTRA_FLAGS...]
#   MESSAGES     messages to generate (default 1000000)
#   PARALLELISM  audit parallelism and batch workers (default: all cores)
#   EXTRA_FLAGS  passed to both, e.g. --model
# Prints one line per run: messages, seconds, messages/s, MB/s, threats. Both runs score the same
# log with the same detector; batch uses --role-field role so it scans assistant/tool messages as
# responses, as the audit does, and --cache-size 0 so repeated texts are not free.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"; p="${2:-$(nproc)}"; shift $(( $# > 2 ? 2 : $# )) || true
work="${BENCH_DIR:-target/bench-audit}"
mkdir -p "$work"
log="$work/logs-$n.jsonl"
[ -f "$log" ] || ./threatmon generate -q --messages "$n" --seed 1 --attack-rate 0.05 --out "$log"
bytes=$(stat -c %s "$log")
run() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); python3 -c "print($end - $start)"; }
t_audit=$(run ./threatmon audit -q --input "$log" --out "$work/audit" --parallelism "$p" --scored none "$@")
threats_audit=$(python3 -c "import json;print(json.load(open('$work/audit/report.json'))['threat_messages'])")
t_batch=$(run ./threatmon batch -q --input "$log" --output "$work/batch.jsonl" --workers "$p" --cache-size 0 \
    --id-field message_id --role-field role "$@")
threats_batch=$(grep -c '"is_threat":true' "$work/batch.jsonl" || true)
for row in "audit $t_audit $threats_audit" "batch $t_batch $threats_batch"; do
  set -- $row
  python3 -c "print('%-6s %9d messages %7.1f s %9.0f messages/s %6.2f MB/s  threats=%s' % ('$1', $n, $2, $n / $2, $bytes / $2 / 1e6, '$3'))"
done
