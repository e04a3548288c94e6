#!/usr/bin/env python3
"""Per-set detection on the hand-written corpora, as docs/detection.md reports it.

The corpora engine/src/test/resources/attack-styles-s*.txt and benign-lookalikes-s*.txt hold the
helper-written sets of each session; from session 15 on, a line starting with "# session" opens
each set. This scores every line with `threatmon batch` and prints, per set, how many attack lines
are flagged and how many benign lines are (files without such headers count as one set).

Usage:
  scripts/corpus-sets.py [--threatmon PATH] [--sessions 15,16] [-- extra batch options]
  scripts/corpus-sets.py --sessions 16 -- --rules pack:deployed_assistant
  scripts/corpus-sets.py --sessions 16 -- --model model.bin      (rules + a trained model)

Exit 0; the figures go to stdout. Needs the built jar (./threatmon builds it on first use).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPORA = os.path.join(ROOT, "engine", "src", "test", "resources")


def sets_of(path):
    """[(header, [lines])] in file order; lines before the first header form a set named after the file."""
    sets = [(os.path.basename(path), [])]
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# session"):
                sets.append((line[2:], []))
            elif line.strip():
                sets[-1][1].append(line)
    return [(h, ls) for h, ls in sets if ls]


def flagged(threatmon, texts, extra):
    """How many of texts `threatmon batch --no-model` flags (with the model when extra has --model)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "in.jsonl"), os.path.join(tmp, "out.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            for i, t in enumerate(texts):
                f.write(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n")
        model = [] if any(a == "--model" or a.startswith("--model=") for a in extra) else ["--no-model"]
        subprocess.run([threatmon, "batch", "-q", *model, *extra, "--input", src, "--output", out], check=True)
        with open(out, encoding="utf-8") as f:
            return sum(1 for line in f if json.loads(line)["is_threat"])


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threatmon", default=os.path.join(ROOT, "threatmon"))
    ap.add_argument("--sessions", default="15,16", help="comma-separated session numbers (default 15,16)")
    args = ap.parse_args(argv)
    for s in args.sessions.split(","):
        for kind in ("attack-styles", "benign-lookalikes"):
            # a session's corpora: s27.txt, then s27b.txt, s27c.txt ...
            names = sorted(n for n in os.listdir(CORPORA) if re.fullmatch(rf"{kind}-s{s.strip()}[a-z]?\.txt", n))
            for name in names:
                for header, lines in sets_of(os.path.join(CORPORA, name)):
                    n = flagged(args.threatmon, lines, extra)
                    label = "attacks flagged" if kind == "attack-styles" else "benign flagged"
                    print(f"{name[:-4]}  {header[:90]:<90}  {label} {n}/{len(lines)}")


if __name__ == "__main__":
    main()
