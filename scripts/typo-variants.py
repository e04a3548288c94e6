#!/usr/bin/env python3
"""Typo variants of a JSONL file's texts, to measure how detection holds up against typing errors.

For every row (optionally only label 1) it writes DRAWS variants with N typos each (N from --typos,
default 1 and 2): in N random words of five letters or more, two neighbouring letters swapped, one
dropped or one doubled, never the first letter. Deterministic for a given input (seeded by row id).

    scripts/typo-variants.py --label 1 ../shared/datasets/dev.jsonl > /tmp/typos.jsonl
    ./threatmon batch -i /tmp/typos.jsonl -o /tmp/typos.out.jsonl
    scripts/typo-variants.py --score /tmp/typos.jsonl /tmp/typos.out.jsonl

Each variant's id is "<row id>|<typos>|<draw>" and it keeps the row's label, category and lang.
"""
import argparse
import collections
import json
import random
import re
import sys


def typo(word, rnd):
    op = rnd.choice(("swap", "drop", "double"))
    i = rnd.randrange(1, len(word) - 2)
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def variants(args):
    for line in open(args.input, encoding="utf-8"):
        row = json.loads(line)
        if args.label is not None and row.get("label") != args.label:
            continue
        if row.get("category") == "harmful_request":
            continue
        words = list(re.finditer(r"[A-Za-z]{5,}", row["text"]))
        if not words:
            continue
        for n in args.typos:
            for draw in range(args.draws):
                rnd = random.Random(f"{row['id']}|{n}|{draw}")
                text = row["text"]
                for m in sorted(rnd.sample(words, min(n, len(words))), key=lambda m: -m.start()):
                    text = text[:m.start()] + typo(m.group(0), rnd) + text[m.end():]
                out = {"id": f"{row['id']}|{n}|{draw}", "text": text}
                for key in ("label", "category", "lang"):
                    if key in row:
                        out[key] = row[key]
                print(json.dumps(out, ensure_ascii=False))


def score(variants_path, predictions_path):
    labels = {}
    for line in open(variants_path, encoding="utf-8"):
        row = json.loads(line)
        labels[row["id"]] = row.get("label")
    flagged, total = collections.Counter(), collections.Counter()
    for line in open(predictions_path, encoding="utf-8"):
        p = json.loads(line)
        n = p["id"].split("|")[1]
        key = (labels.get(p["id"]), n)
        total[key] += 1
        flagged[key] += bool(p.get("is_threat"))
    for key in sorted(total, key=str):
        print(f"label {key[0]}, {key[1]} typo(s): flagged {flagged[key]} of {total[key]} = {flagged[key] / total[key]:.1%}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", nargs="?")
    ap.add_argument("--label", type=int, help="only rows with this label")
    ap.add_argument("--typos", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--draws", type=int, default=3)
    ap.add_argument("--score", nargs=2, metavar=("VARIANTS", "PREDICTIONS"), help="summarise a batch run over the variants")
    args = ap.parse_args()
    if args.score:
        score(*args.score)
    elif args.input:
        variants(args)
    else:
        ap.error("give an input file or --score")


if __name__ == "__main__":
    main()
