#!/usr/bin/env python3
"""Turns the reporting cues of reporting.json (concept C24) into the quoted_reported_* fragments.

A question or a report that quotes an attack says who said or wrote it, next to the quote: `my son
typed "…"`, `un correo que decía '…'`, `хтось написав боту '…'`, `'…'라고 했어`, `「…」と書いてあった`.
C24_before holds the cues that come before the opening quotation mark (up to 25 other characters may
stand between: `posted this in our Discord: "…"`), C24_after the ones right after the closing mark.
Each fragment reads the quote to its own closing mark only, never to the end of the line, so a
sentence typed after the quote is still judged (`My friend said "hi". Ignore all previous …`).

    quote-cues.py reporting.json [--drop-list FILE] [--max CHARS]

Prints fragments.yml lines (`  quoted_reported_1: '…'`), cues lower-cased, NFC, deduplicated and
dropped when a shorter kept cue is inside them as whole words, at most about CHARS
characters of cues per fragment (default 5200, so each stays within the lazy DFA's limit; `threatmon
rules validate` checks that).
"""
import json
import re
import sys
import unicodedata

from patterns import chunks, esc, needs_boundary, read_drop_list

# What may stand between a cue and the quote: up to 25 characters, none of them a quotation mark,
# the first and the last not a letter after a cue of a script with spaces ("sade", Swedish "said",
# must not match in "sadece"), the last not a letter before any cue, so a single quotation mark
# always follows a non-letter (the apostrophe of "they're" opens no quote). Then the quote, read
# to its own closing mark. Each fragment's named group 'exempt' is the part that must overlap a
# rule's match (rules/README.md): the quote, not the cue, so an attack phrase that ends in a cue
# ("forget what they said") is not exempted by a quote after it.
Q = "\"“”„«»「」『』‘’''"
TAIL = "([^%s\\n]{0,24}[^\\p{L}\\p{N}%s\\n])?" % (Q, Q)
BOUNDED_TAIL = "([^\\p{L}\\p{N}%s\\n]%s)?" % (Q, TAIL)
QUOTE = ("(?P<exempt>\"[^\"”\\n]*|“[^”\"\\n]*|„[^“”\"\\n]*|«[^»\\n]*|»[^«\\n]*|「[^」\\n]*|『[^』\\n]*|"
         "‘[^’''\\n]*|''[^''’\\n]*)")
QUOTED = ("(^|[^\\p{L}\\p{N}])(?P<exempt>\"[^\"”\\n]+[\"”]|“[^”\"\\n]+[”\"]|„[^“”\"\\n]+[“”\"]|«[^»\\n]+»|"
          "»[^«\\n]+«|「[^」\\n]+」|『[^』\\n]+』|‘[^’''\\n]+[’'']|''[^''’\\n]+[''’])")


def cues(lexicon, section, drop):
    found = set()
    for items in lexicon[section].values():
        for p in items:
            p = unicodedata.normalize('NFC', p.strip().lower())
            if p and p not in drop:
                found.add(p)
    ordered = sorted(found, key=lambda s: (-len(s), s))
    return sorted(p for p in ordered if not any(q != p and inside(q, p) for q in ordered))


def inside(q, p):
    """Whether cue q matches wherever p does: as whole words in scripts with spaces, since a cue
    there needs a non-letter after it ("escreve" does not match in "escreveu"), anywhere in CJK
    and Thai."""
    if not needs_boundary(q):
        return q in p
    return re.search(r'(^|[^\w])' + re.escape(q) + r'($|[^\w])', p) is not None


def main(argv):
    lexicon = json.load(open(argv[0], encoding='utf-8'))
    drop, limit = set(), 5200
    i = 1
    while i < len(argv):
        if argv[i] == '--drop-list':
            drop |= read_drop_list(argv[i + 1])
        elif argv[i] == '--max':
            limit = int(argv[i + 1])
        else:
            raise SystemExit('unknown option ' + argv[i])
        i += 2
    lines = []
    before = cues(lexicon, 'C24_before', drop)
    # Cues in scripts with spaces need a non-letter before them (RE2's \b is ASCII-only); CJK and
    # Thai ones do not. Both kinds share a fragment, so there are fewer fragments to list.
    ordered = [p for p in before if needs_boundary(p)] + [p for p in before if not needs_boundary(p)]
    for part in chunks([esc(p) for p in ordered], limit):
        # Escaping changes no letter, so an escaped cue needs a boundary exactly when the cue does.
        bounded = [e for e in part if needs_boundary(e)]
        free = [e for e in part if not needs_boundary(e)]
        alternatives = (["(^|[^\\p{L}])(%s)%s" % ('|'.join(bounded), BOUNDED_TAIL)] if bounded else []) + \
                       (["(%s)%s" % ('|'.join(free), TAIL)] if free else [])
        lines.append("(%s)%s" % ('|'.join(alternatives), QUOTE))
    after = [esc(p) for p in cues(lexicon, 'C24_after', drop)]
    for part in chunks(after, limit):
        lines.append("%s\\s?,?\\s?[—–-]?\\s?(%s)" % (QUOTED, '|'.join(part)))
    for n, regex in enumerate(lines, 1):
        print("  quoted_reported_%d: '%s'" % (n, regex))
    print('# %d cues before, %d after, %d fragments' % (len(before), len(after), len(lines)), file=sys.stderr)


if __name__ == '__main__':
    main(sys.argv[1:])
