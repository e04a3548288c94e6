#!/usr/bin/env python3
"""Builds the log generator's text corpus from ../shared/datasets/dev.jsonl.

Deterministic (fixed seed): running it again gives the same file. Each row keeps its source and
licence; NOTICE.md beside the output lists them. Usage: scripts/make-generator-corpus.py [DEV.jsonl]
"""
import json, random, sys, os, collections

dev = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'datasets', 'dev.jsonl')
out = os.path.join(os.path.dirname(__file__), '..', 'connectors', 'src', 'main', 'resources', 'io', 'threatmon', 'connectors', 'generator', 'corpus.jsonl')
rows = [json.loads(l) for l in open(dev, encoding='utf-8')]
rng = random.Random(20260304)
benign = [r for r in rows if r['label'] == 0 and len(r['text']) <= 1500]
attacks = [r for r in rows if r['label'] == 1 and r['category'] != 'harmful_request' and len(r['text']) <= 2500]
rng.shuffle(benign)
rng.shuffle(attacks)
# Keep every source family represented, then fill up.
def pick(pool, n):
    by = collections.defaultdict(list)
    for r in pool:
        by[r['subset'].split(':')[0]].append(r)
    chosen, seen = [], set()
    per = max(1, n // (2 * len(by)))
    for fam in sorted(by):
        for r in by[fam][:per]:
            chosen.append(r); seen.add(r['id'])
    for r in pool:
        if len(chosen) >= n:
            break
        if r['id'] not in seen:
            chosen.append(r); seen.add(r['id'])
    return sorted(chosen, key=lambda r: r['id'])
cat_map = {'prompt_injection_direct': 'prompt_injection', 'prompt_injection_indirect': 'indirect_prompt_injection',
           'indirect_injection_payload': 'indirect_prompt_injection', 'jailbreak': 'jailbreak',
           'system_prompt_extraction': 'system_prompt_extraction', 'prompt_injection': 'prompt_injection',
           'data_extraction': 'data_exfiltration', 'data_leakage': 'data_exfiltration',
           'excessive_agency': 'excessive_agency', 'jailbreak_attempts': 'jailbreak'}
with open(out, 'w', encoding='utf-8') as f:
    for r in pick(benign, 700):
        f.write(json.dumps({'kind': 'benign', 'text': r['text'], 'source': r['source'], 'license': r['license'], 'lang': r['lang']}, ensure_ascii=False) + '\n')
    for r in pick(attacks, 600):
        f.write(json.dumps({'kind': 'attack', 'category': cat_map.get(r['category'], r['category']), 'text': r['text'],
                            'source': r['source'], 'license': r['license'], 'lang': r['lang']}, ensure_ascii=False) + '\n')
print('wrote', out)
