#!/usr/bin/env python3
"""A labelled JSONL for `threatmon train`: the dev set plus the hand-written corpora of some sessions.

Each session's corpus lines become one source group for `threatmon train --loso` (subset
`corpus_sN:attacks` / `corpus_sN:benign`, family `corpus_sN`), so a leave-one-source-out run also
holds out one session's helper-written sets at a time. Corpus lines are read as
scripts/corpus-sets.py reads them (blank lines and "# session ..." set headers skipped; other lines
starting with "#", such as injected code comments, are texts).

Usage:
  scripts/training-set.py --out train.jsonl [--sessions 6-15] [--dev ../shared/datasets/dev.jsonl]
  scripts/training-set.py --out test.jsonl --sessions 16 --no-dev

docs/detection.md ("Session 17") uses it to measure a model trained on dev and sessions 6-15 on
session 16's sets.
"""
import argparse
import importlib.util
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _corpus_sets():
    """scripts/corpus-sets.py as a module (its file name is not an importable name)."""
    spec = importlib.util.spec_from_file_location("corpus_sets", os.path.join(ROOT, "scripts", "corpus-sets.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus_sets = _corpus_sets()
CORPORA = corpus_sets.CORPORA


def sessions_arg(text):
    """'6-15' or '6,7,16' -> sorted list of ints."""
    out = set()
    for part in text.split(","):
        if "-" in part:
            lo, hi = part.split("-", 1)
            out.update(range(int(lo), int(hi) + 1))
        elif part:
            out.add(int(part))
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sessions", default="6-15", type=sessions_arg, help="corpus sessions to include (default 6-15)")
    ap.add_argument("--dev", default=os.path.join(ROOT, "..", "shared", "datasets", "dev.jsonl"))
    ap.add_argument("--no-dev", action="store_true", help="corpus lines only")
    a = ap.parse_args()
    files = {}
    for name in os.listdir(CORPORA):
        # A session may have several corpora: s27.txt, s27b.txt, s27c.txt (one source group).
        m = re.fullmatch(r"(attack-styles|benign-lookalikes)-s(\d+)([a-z]?)\.txt", name)
        if m and int(m.group(2)) in a.sessions:
            files[(int(m.group(2)), m.group(3), m.group(1))] = os.path.join(CORPORA, name)
    if not files:
        sys.exit(f"training-set.py: error: no corpus of sessions {a.sessions} in {CORPORA}")
    missing = [s for s in a.sessions if not any(k[0] == s for k in files)]
    if missing:
        print(f"training-set.py: no corpus for session(s) {missing} (none was written then)", file=sys.stderr)
    rows = 0
    with open(a.out, "w", encoding="utf-8") as out:
        if not a.no_dev:
            if not os.path.exists(a.dev):
                sys.exit(f"training-set.py: error: {a.dev} not found (or pass --no-dev)")
            with open(a.dev, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        out.write(line if line.endswith("\n") else line + "\n")
                        rows += 1
        for (session, part, kind), path in sorted(files.items()):
            attack = kind == "attack-styles"
            texts = [t for _, lines in corpus_sets.sets_of(path) for t in lines]
            for n, text in enumerate(texts, 1):
                out.write(json.dumps({
                    "id": f"s{session}{part}-{'a' if attack else 'b'}-{n}",
                    "text": text,
                    "label": 1 if attack else 0,
                    "category": "corpus_attack" if attack else "benign",
                    "subset": f"corpus_s{session}:{'attacks' if attack else 'benign'}",
                    "lang": "mixed",
                }, ensure_ascii=False) + "\n")
                rows += 1
    print(f"{rows} rows -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
