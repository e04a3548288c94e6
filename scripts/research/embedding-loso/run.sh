#!/usr/bin/env bash
# Sentence-embedding detector under leave-one-source-out (research; docs/detection.md, "Session 10").
# Usage: scripts/research/embedding-loso/run.sh [DEV.jsonl] [WORKDIR]     (from the repository root)
# Needs Maven Central (langchain4j's all-MiniLM-L6-v2 ONNX model and ONNX Runtime), python3 + numpy.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
dev="${1:-$root/../shared/datasets/dev.jsonl}"
work="${2:-$(mktemp -d)}"
mkdir -p "$work"
mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/cp.txt"
python3 - "$root" "$work/corp.jsonl" <<'PY'
import json, os, sys
res = os.path.join(sys.argv[1], 'engine', 'src', 'test', 'resources')
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    for name in sorted(os.listdir(res)):
        if name.startswith(('attack-styles-', 'benign-lookalikes-')) and name.endswith('.txt'):
            for line in open(os.path.join(res, name), encoding='utf-8'):
                line = line.rstrip('\n')
                if line.strip() and not line.startswith('#'):
                    out.write(json.dumps({'text': line.replace('\\n', '\n'), 'label': int(name.startswith('attack')),
                                          'subset': name[:-4]}) + '\n')
PY
for set in dev corp; do
  input="$dev"; [ "$set" = corp ] && input="$work/corp.jsonl"
  java -cp "$(cat "$work/cp.txt")" "$here/Embed.java" "$input" "$work/$set.emb" 2>&1 | grep -v SLF4J
  "$root/threatmon" batch -q --input "$input" --output "$work/$set.rules.jsonl"
done
python3 "$here/loso.py" "$dev" "$work" "${C:-1.0}"
