#!/usr/bin/env bash
# The issue's "done when" check: scripts/stream-demo.sh LOGFILE must report processed= equal to the
# valid records of LOGFILE, threats= equal to what `threatmon batch` finds on the same texts (assistant
# and tool messages scanned as responses, as the stream job does), and every other non-blank line as
# a dead letter.
#
# Usage: scripts/check-stream-demo.sh [LOGFILE]
#   Default: samples/conversations.jsonl plus three malformed lines, so dead letters are checked too.
# Exit 0 and "OK ..." when all agree; exit 1 and "MISMATCH ..." otherwise.
set -euo pipefail
ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/threatmon-check-demo.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [ $# -gt 0 ]; then
  log="$1"
else
  log="$work/sample-with-malformed.jsonl"
  cat "$ROOT/samples/conversations.jsonl" >"$log"
  printf '%s\n' 'this line is not JSON' '{"timestamp":"2026-03-02T10:00:00Z","text":' '[1,2,3]' >>"$log"
fi
[ -f "$log" ] || { echo "check-stream-demo: error: no such log file: $log" >&2; exit 1; }

lines=$(grep -cv '^[[:space:]]*$' "$log" || true)
"$ROOT/threatmon" batch -q --input "$log" --output "$work/verdicts.jsonl" --id-field message_id \
  --role-field role --skip-invalid
valid=$(wc -l <"$work/verdicts.jsonl")
batch_threats=$(grep -c '"is_threat":true' "$work/verdicts.jsonl" || true)

summary="$("$ROOT/scripts/stream-demo.sh" "$log" | tail -1)"
echo "stream-demo: $summary"
read -r processed threats alerts dead <<<"$(sed -E 's/processed=([0-9]+) threats=([0-9]+) alerts=([0-9]+) dead_letters=([0-9]+)/\1 \2 \3 \4/' <<<"$summary")"

expected="processed=$valid threats=$batch_threats dead_letters=$((lines - valid))"
actual="processed=$processed threats=$threats dead_letters=$dead"
if [ "$expected" = "$actual" ]; then
  echo "OK $actual (batch: $valid valid records, $batch_threats threats; $lines non-blank lines; alerts=$alerts after throttling)"
else
  echo "MISMATCH stream: $actual; expected from batch and the file: $expected"
  exit 1
fi
