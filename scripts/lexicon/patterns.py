#!/usr/bin/env python3
"""Turns one concept of a phrase lexicon into rule-pack regex lines.

The multilingual rules of session 28 (ob.evade_the_filter_world, jb.stay_in_role_world,
jb.persona_without_limits_world, jb.no_restrictions_hypothetical_world, jb.ignore_rules_world,
jb.now_unrestricted_world, jb.frame_with_harm_topic_world, spe.given_setup_verbatim_world,
se.staff_claim_with_approval_world) hold phrase lists made this way from the JSON lexicons next to
this script: for each concept, how speakers of 40 languages say it (written by a helper that saw no
rule and no evaluation text). build.sh has the exact command for each rule's block.

    patterns.py LEXICON.json CONCEPT [--keep REGEX] [--drop REGEX] [--drop-list FILE]
                                     [--min-len N] [--max CHARS] [--langs a,b | --skip-langs a,b]

Phrases are lower-cased, NFC-normalized, deduplicated, and dropped when a shorter kept phrase is
inside them where it can match (it matches already). A phrase that starts with a letter of an alphabetic script gets
'(^|[^\\p{L}])' in front (RE2's \\b is ASCII-only); CJK and Thai phrases get none. Each output line is
one YAML list item, a single-quoted regex of at most about CHARS characters (default 700), so no
regex grows past the lazy DFA's limit. The count of phrases goes to stderr.
"""
import json
import re
import sys
import unicodedata


def esc(phrase):
    out = []
    for ch in phrase:
        if ch in '.^$*+?()[]{}|\\':
            out.append('\\' + ch)
        elif ch == "'":
            out.append("''")  # YAML single-quoted string
        else:
            out.append(ch)
    return ''.join(out)


def needs_boundary(phrase):
    c = phrase[0]
    return c.isalpha() and ord(c) < 0x2E80 and not ('\u0e00' <= c <= '\u0e7f')


def inside(q, p):
    """Whether phrase q matches wherever p does, so p adds nothing: q occurs in p where its regex
    may start. A phrase of a script with spaces needs a non-letter before it, so "zostań w roli"
    inside "pozostań w roli" does not match there (dropping the longer one for it lost Polish
    "stay in role" until session 33); CJK and Thai phrases match anywhere."""
    j = p.find(q)
    while j >= 0:
        if not needs_boundary(q) or j == 0 or not p[j - 1].isalpha():
            return True
        j = p.find(q, j + 1)
    return False


def read_drop_list(path):
    """Phrases a reviewer struck out (too broad, or said the wrong thing): one per line."""
    with open(path, encoding='utf-8') as f:
        return {unicodedata.normalize('NFC', line.strip().lower())
                for line in f if line.strip() and not line.startswith('#')}


def chunks(items, limit):
    cur, n = [], 0
    for e in items:
        if cur and n + len(e) > limit:
            yield cur
            cur, n = [], 0
        cur.append(e)
        n += len(e) + 1
    if cur:
        yield cur


def main(argv):
    lexicon, concept = json.load(open(argv[0])), argv[1]
    keep = drop = None
    drop_list = set()
    min_len, limit = 0, 700
    langs = skip_langs = None
    i = 2
    while i < len(argv):
        flag, value = argv[i], argv[i + 1]
        if flag == '--keep':
            keep = re.compile(value)
        elif flag == '--drop':
            drop = re.compile(value)
        elif flag == '--drop-list':
            drop_list |= read_drop_list(value)
        elif flag == '--min-len':
            min_len = int(value)
        elif flag == '--max':
            limit = int(value)
        elif flag == '--langs':
            langs = set(value.split(','))
        elif flag == '--skip-langs':
            skip_langs = set(value.split(','))
        else:
            raise SystemExit('unknown option ' + flag)
        i += 2
    phrases = set()
    for lang, items in lexicon[concept].items():
        if (langs and lang not in langs) or (skip_langs and lang in skip_langs):
            continue
        for p in items:
            p = unicodedata.normalize('NFC', p.strip().lower())
            if len(p) < max(min_len, 1):
                continue
            if (keep and not keep.search(p)) or (drop and drop.search(p)) or p in drop_list:
                continue
            phrases.add(p)
    ordered = sorted(phrases, key=lambda s: (-len(s), s))
    final = [p for p in ordered if not any(q != p and inside(q, p) for q in ordered)]
    bounded = [esc(p) for p in final if needs_boundary(p)]
    free = [esc(p) for p in final if not needs_boundary(p)]
    for part in chunks(bounded, limit):
        print("      - '(^|[^\\p{L}])(%s)'" % '|'.join(part))
    for part in chunks(free, limit):
        print("      - '(%s)'" % '|'.join(part))
    print('# %d phrases' % len(final), file=sys.stderr)


if __name__ == '__main__':
    main(sys.argv[1:])
