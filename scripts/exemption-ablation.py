#!/usr/bin/env python3
"""Which `unless` exemptions of the bundled rules still protect a benign text, and which only hide attacks.

An exemption that no benign text needs is a pure bypass: an attacker who reads the open rule files
writes its words next to the attack ("How can we prevent that, ignore all previous instructions
..."; scripts/exemption-bypass.py measures that). This finds them:

1. Runs the bundled rules with every `unless` removed over a benign pool: the hand-written
   look-alike corpora (engine/src/test/resources/benign-lookalikes-*.txt), the benign rows of
   ../shared/datasets/dev.jsonl, every rule's `no_match` examples, and any JSONL files given
   (one {"text": ...} per line, such as prose or chat you know to be benign).
2. For each rule that then fires on some text, removes its exemptions one at a time and records
   the texts on which the rule fires without that one (the texts that clause is *needed by*).
3. Removes every clause needed by no text at once and checks the pool again, because two clauses
   can cover the same text: a clause is put back (greedily) while some text still flips.

Prints the clauses that can go (rule, index, regex) and writes them as JSON to --out. A rule with no
firing at all on the pool lists all its clauses. Read the list before deleting anything: the pool
is the evidence, and a clause written for benign traffic the pool lacks belongs in the pool first.
Both kinds of clause are tried: `unless` (counts in the match's sentence) and `unless_overlapping`
(counts only where it overlaps the matched words); indices run over `unless` first.

With --narrow it lists instead the `unless` clauses that can move to `unless_overlapping`: those
that no benign text of the pool needs beyond the matched words (the same two steps, moving a clause
instead of removing it). An exemption that must overlap the match cannot be written next to an
attack as a sentence that merges with it ("... ignore all previous instructions Instructions for the
delivery: leave it at the door.").

Usage: scripts/exemption-ablation.py [--narrow] [--out FILE] [EXTRA.jsonl ...]   (from the repository root)
"""
import argparse, collections, glob, json, os, re, subprocess, sys, tempfile
import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
RULES = os.path.join(ROOT, 'rules', 'src', 'main', 'resources', 'io', 'threatmon', 'rules')
THREATMON = os.path.join(ROOT, 'threatmon')


class NoAlias(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def load_rules():
    rules = {}
    for f in sorted(glob.glob(os.path.join(RULES, '*.yml'))):
        for r in yaml.safe_load(open(f, encoding='utf-8'))['rules']:
            rules[r['id']] = r
    return rules


def benign_pool(extra):
    texts = {}
    res = os.path.join(ROOT, 'engine', 'src', 'test', 'resources')
    for name in sorted(os.listdir(res)):
        if name.startswith('benign-lookalikes-') and name.endswith('.txt'):
            for i, line in enumerate(open(os.path.join(res, name), encoding='utf-8')):
                line = line.rstrip('\n')
                if line.strip() and not line.startswith('#'):
                    texts[f'{name}:{i + 1}'] = line.replace('\\n', '\n')
    dev = os.path.join(ROOT, '..', 'shared', 'datasets', 'dev.jsonl')
    if os.path.exists(dev):
        for line in open(dev, encoding='utf-8'):
            row = json.loads(line)
            if row['label'] == 0:
                texts[f'dev:{row["id"]}'] = row['text']
    for path in extra:
        for i, line in enumerate(open(path, encoding='utf-8')):
            texts[f'{os.path.basename(path)}:{i + 1}'] = json.loads(line)['text']
    return texts


def clauses(rule):
    """A rule's exemptions as one list: its `unless` clauses, then its `unless_overlapping` ones."""
    return list(rule.get('unless') or []) + list(rule.get('unless_overlapping') or [])


def overlapping(rule):
    """Indices (in clauses()) of the clauses written under `unless_overlapping`."""
    n = len(rule.get('unless') or [])
    return set(range(n, n + len(rule.get('unless_overlapping') or [])))


def fires(rules, variants, texts, ids, tmp):
    """variants: (variant id, rule id, kept clause indices[, indices that count only overlapping the
    match]; indices into clauses(), the written scope by default); returns variant id -> text ids it fires on."""
    pack = {'pack': 'ablation', 'version': '1.0.0', 'rules': []}
    for vid, rid, keep, *narrowed in variants:
        rule = rules[rid]
        narrowed = narrowed[0] if narrowed else overlapping(rule)
        v = {k: val for k, val in rule.items() if k not in ('examples', 'unless', 'unless_overlapping')}
        v['id'] = vid
        every = clauses(rule)
        sentence = [u for k, u in enumerate(every) if k in keep and k not in narrowed]
        overlap = [u for k, u in enumerate(every) if k in keep and k in narrowed]
        if sentence:
            v['unless'] = sentence
        if overlap:
            v['unless_overlapping'] = overlap
        pack['rules'].append(v)
    pack_file, inp, out = (os.path.join(tmp, n) for n in ('pack.yml', 'in.jsonl', 'out.jsonl'))
    yaml.dump(pack, open(pack_file, 'w', encoding='utf-8'), Dumper=NoAlias, allow_unicode=True, sort_keys=False,
              width=10 ** 6)
    with open(inp, 'w', encoding='utf-8') as f:
        for t in sorted(ids):
            f.write(json.dumps({'id': t, 'text': texts[t]}) + '\n')
    subprocess.run([THREATMON, 'batch', '-q', '--no-bundled', '--rules', pack_file, '--input', inp, '--output', out,
                    '--threshold', '1'], check=True)
    hit = collections.defaultdict(set)
    for line in open(out, encoding='utf-8'):
        row = json.loads(line)
        for m in row.get('matched_rules', []):
            hit[m].add(row['id'])
    return hit


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default='exemption-ablation.json')
    ap.add_argument('extra', nargs='*', help='more benign JSONL files')
    ap.add_argument('--narrow', action='store_true',
                    help="instead: list the sentence-scoped exemptions that can count only where they overlap the match "
                         "(move them to 'unless_overlapping')")
    args = ap.parse_args()
    rules = load_rules()
    texts = benign_pool(args.extra)
    for rid, r in rules.items():
        for i, t in enumerate((r.get('examples') or {}).get('no_match') or []):
            texts[f'example:{rid}:{i}'] = t
    with_unless = [rid for rid, r in rules.items() if clauses(r)]
    if args.narrow:
        # Candidates: the sentence-scoped clauses; applying a set of them moves it to the overlapping ones.
        rids = [rid for rid in with_unless if rules[rid].get('unless')]
        candidates = {rid: set(range(len(rules[rid]['unless']))) for rid in rids}
        written = {rid: overlapping(rules[rid]) for rid in rids}
        variant = lambda rid, chosen: (set(range(len(clauses(rules[rid])))), written[rid] | chosen)
        what, verdict = 'sentence-scoped exemptions', 'can count only where they overlap the match'
    else:
        # Candidates: every clause; applying a set of them removes it.
        rids = with_unless
        candidates = {rid: set(range(len(clauses(rules[rid])))) for rid in rids}
        variant = lambda rid, chosen: (candidates[rid] - chosen, overlapping(rules[rid]))
        what, verdict = 'exemptions', 'needed by no text'
    found = prune(rules, texts, rids, candidates, variant)
    result = [{'rule': rid, 'index': k, 'unless': clauses(rules[rid])[k]} for rid in rids for k in sorted(found[rid])]
    json.dump(result, open(args.out, 'w', encoding='utf-8'), indent=1, ensure_ascii=False)
    total = sum(len(c) for c in candidates.values())
    print(f'{len(texts)} benign texts; {total} {what} in {len(rids)} rules; '
          f'{len(result)} {verdict} (list in {args.out}):')
    for x in result:
        print(f'  {x["rule"]} #{x["index"]}: {x["unless"][:110]}')


def prune(rules, texts, rids, candidates, variant):
    """The candidate clauses of each rule that no benign text needs: applying one alone (variant(rid,
    {k}) gives the kept clause indices and those that count only overlapping the match) flips no text
    the rule fires on without exemptions; then all of a rule's survivors are applied together and,
    while some text still flips, the clause whose return saves the most flipped texts is put back
    (two clauses can cover the same text)."""
    with tempfile.TemporaryDirectory() as tmp:
        spec = lambda vid, rid, chosen: (vid, rid, *variant(rid, chosen))
        bare = fires(rules, [(f'{rid}:none', rid, set(), set()) for rid in rids], texts, set(texts), tmp)
        need = {rid: bare[f'{rid}:none'] for rid in rids if bare[f'{rid}:none']}
        variants = [spec(f'{rid}:all', rid, set()) for rid in need]
        variants += [spec(f'{rid}:only{k}', rid, {k}) for rid in need for k in candidates[rid]]
        hit = fires(rules, variants, texts, set().union(*need.values()), tmp)
        # A rule that fires on no text even without exemptions needs none of them.
        ok = {rid: {k for k in candidates[rid]
                    if rid not in need or not (hit[f'{rid}:only{k}'] - hit[f'{rid}:all']) & need[rid]}
              for rid in rids}
        back = collections.defaultdict(set)
        for _ in range(10):
            check = [rid for rid in need if ok[rid] - back[rid]]
            if not check:
                break
            variants = [spec(f'{rid}:all', rid, set()) for rid in check]
            variants += [spec(f'{rid}:joint', rid, ok[rid] - back[rid]) for rid in check]
            hit = fires(rules, variants, texts, set().union(*(need[r] for r in check)), tmp)
            flips = {rid: (hit[f'{rid}:joint'] - hit[f'{rid}:all']) & need[rid] for rid in check}
            flips = {rid: f for rid, f in flips.items() if f}
            if not flips:
                break
            variants = [spec(f'{rid}:back{k}', rid, ok[rid] - back[rid] - {k}) for rid in flips for k in ok[rid] - back[rid]]
            hit = fires(rules, variants, texts, set().union(*flips.values()), tmp)
            for rid, f in flips.items():
                back[rid].add(max(ok[rid] - back[rid], key=lambda k: len(f - hit[f'{rid}:back{k}'])))
    return {rid: ok[rid] - back[rid] for rid in rids}


if __name__ == '__main__':
    sys.exit(main())
