#!/usr/bin/env bash
# Retained heap of a ThreatClient: bundled rules alone, and bundled rules + the bundled model.
# Usage: benchmarks/heap.sh [EXTRA_FLAGS...]     e.g. --rules my-rules/ or --model my-model.bin
# Each figure is `threatmon bench --heap` in a fresh JVM: heap used after full GCs with the client
# loaded, and what the client adds to an empty CLI (approximate: JVM heap figures always are).
set -euo pipefail
cd "$(dirname "$0")/.."
./threatmon version >/dev/null            # builds the CLI jar when it is missing or stale
for mode in --no-model --model; do
  java -jar cli/target/threatmon.jar bench --heap --json -q --messages 20000 "$mode" "$@" \
    | jq -r --arg mode "$mode" '"\(if $mode == "--model" then "rules + model" else "rules only   " end)  \(.detectors | join(" + ")) (\(.rules) rules): client retains \(.client_retained_bytes / 1e6 * 10 | round / 10) MB, \(.client_retained_after_workload_bytes / 1e6 * 10 | round / 10) MB after 20,000 generated messages on one thread; heap used after GC \(.heap_used_bytes / 1e6 * 10 | round / 10) MB"'
done
