#!/usr/bin/env bash
# `threatmon batch` beside ripgrep's literal scan of attack keywords, on the same JSONL of unique
# messages, in the same run: the issue-7 bar is batch >= 1/4 of `rg -F -i -f keywords`.
# Usage: benchmarks/bench-vs-rg.sh [SIZE_MB]      (default 50)
# Env:   RUNS (default 3) timed runs of each command; BENCH_DIR (default target/bench-vs-rg).
# Prints MB/s (10^6 bytes/s, best and median of RUNS) for rg (default threads and -j1) and batch
# (whole process through the `threatmon` launcher, so with its JVM flags: JVM start, all cores, cache off,
# assistant/tool messages scanned as responses),
# the ratio batch/rg, and whether the bar is reached; and, for reference, rg without -i. Needs rg, hyperfine, jq, python3, java.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-50}"
runs="${RUNS:-3}"
work="${BENCH_DIR:-target/bench-vs-rg}"
keywords=benchmarks/attack-keywords.txt
for tool in rg hyperfine jq python3 java; do
  command -v "$tool" >/dev/null || { echo "bench-vs-rg: error: $tool not found on PATH" >&2; exit 1; }
done
[[ "$size_mb" =~ ^[0-9]+$ && "$size_mb" -ge 1 ]] || { echo "bench-vs-rg: error: SIZE_MB must be a whole number >= 1, not '$size_mb'" >&2; exit 1; }
mkdir -p "$work"
./threatmon version >/dev/null            # builds the CLI jar when it is missing or stale
data="$work/unique-${size_mb}mb.jsonl"

if [ ! -f "$data" ]; then
  echo "generating $data: unique messages, ~${size_mb} MB ..." >&2
  # Logs from several seeds, keeping only the first row of each text, until the size is reached.
  python3 - "$data" "$size_mb" "$work" <<'PY'
import hashlib, json, os, subprocess, sys
out_path, size_mb, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
target = size_mb * 1_000_000
seen, written, rows, dropped, seed = set(), 0, 0, 0, 1
part = os.path.join(work, "part.jsonl")
with open(out_path + ".tmp", "w", encoding="utf-8") as out:
    while written < target:
        subprocess.run(["./threatmon", "generate", "-q", "--messages", "100000", "--seed", str(seed),
                        "--out", part], check=True)
        with open(part, encoding="utf-8") as f:
            for line in f:
                key = hashlib.blake2b(json.loads(line)["text"].encode("utf-8"), digest_size=16).digest()
                if key in seen:
                    dropped += 1
                    continue
                seen.add(key)
                out.write(line)
                written += len(line.encode("utf-8"))
                rows += 1
                if written >= target:
                    break
        seed += 1
os.remove(part)
os.replace(out_path + ".tmp", out_path)
print(f"{rows:,} unique messages, {written / 1e6:.1f} MB, from seeds 1-{seed - 1} ({dropped:,} repeated texts dropped)",
      file=sys.stderr)
PY
fi

bytes=$(stat -c %s "$data")
lines=$(wc -l < "$data")
echo "data: $data  ($lines messages, $(python3 -c "print(f'{$bytes / 1e6:.1f}')") MB)"
rg_version="$(rg --version)"; rg_version="${rg_version%%$'\n'*}"
echo "keywords: $keywords ($(grep -c . "$keywords") phrases); $rg_version; $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "lines with a keyword: $(rg -c -F -i -f "$keywords" "$data" || echo 0)"

# hyperfine: RUNS timed runs after one warm-up (page cache, JIT of nothing: rg is native; the JVM
# starts cold every run, as a user's batch job does). rg exits 1 when nothing matches: not an error.
time_runs() {
  local name="$1"; shift
  hyperfine --style none --warmup 1 --runs "$runs" -i --export-json "$work/$name.json" "$@" >/dev/null
  jq -r '.results[0].times | sort | "\(.[0]) \(.[(length - 1) / 2 | floor])"' "$work/$name.json"
}
# -i above keeps rg's "no match" from stopping hyperfine; a batch that fails (a stale build the
# launcher cannot rebuild, a bad flag) would then be timed as a fast run, so it is checked first.
./threatmon batch -q --input "$data" --output /dev/null --cache-size 0 --role-field role \
  || { echo "bench-vs-rg: error: threatmon batch failed on $data; nothing timed" >&2; exit 1; }
read -r rg_best rg_median < <(time_runs rg "rg -F -i -f $keywords $data")
read -r rg1_best rg1_median < <(time_runs rg-j1 "rg -j1 -F -i -f $keywords $data")
# Reference only: without -i, rg's literal matcher takes its fastest path (the text is mixed-case,
# so this misses matches; it shows how much of rg's time the case folding costs).
read -r rgcs_best rgcs_median < <(time_runs rg-case "rg -F -f $keywords $data")
read -r tm_best tm_median < <(time_runs batch \
  "./threatmon batch -q --input $data --output /dev/null --cache-size 0 --role-field role")

python3 - "$bytes" "$rg_best" "$rg_median" "$rg1_best" "$rg1_median" "$tm_best" "$tm_median" "$rgcs_best" "$rgcs_median" "$runs" <<'PY'
import sys
b = int(sys.argv[1]); t = [float(x) for x in sys.argv[2:10]]; runs = sys.argv[10]
mbs = lambda s: b / s / 1e6
print(f"{'':34} {'best MB/s':>10} {'median MB/s':>12}   (of {runs} runs)")
for name, best, median in [("rg -F -i -f keywords", t[0], t[1]), ("rg -j1 -F -i -f keywords", t[2], t[3]),
                           ("threatmon batch (all cores)", t[4], t[5]),
                           ("(reference) rg -F without -i", t[6], t[7])]:
    print(f"{name:34} {mbs(best):10.1f} {mbs(median):12.1f}")
ratio = t[1] / t[5]
print(f"batch/rg (medians): {ratio:.3f}  ->  {'reaches' if ratio >= 0.25 else 'does NOT reach'} the bar (>= 0.25)")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
