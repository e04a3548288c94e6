#!/usr/bin/env python3
"""Builds the engine's gloss dictionary from the per-language word lists in src/.

    scripts/gloss/build.py            # writes engine/src/main/resources/io/threatmon/engine/text/gloss.tsv
    scripts/gloss/build.py --check    # fails when the shipped file is not what the lists give

src/<lang>.tsv (vocab.txt) and src/<lang>.N.tsv (round N's vocabN.txt): one `form<TAB>english` a
line, english being the first column of a line of the vocabulary. Forms that are English words (english-words.txt, from Debian's wamerican word list) are
left out unless keep.txt lists them: English text must have nothing to gloss; so are the
abbreviations drop.txt lists (env, otp, ceo …), which English text writes too. A form that two
languages gloss differently is left out too (it would be a guess), unless override.tsv
settles it. See README.md.
"""
import argparse
import collections
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "engine/src/main/resources/io/threatmon/engine/text/gloss.tsv")


def read_lines(name):
    path = os.path.join(HERE, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]


def vocab_files():
    """vocab.txt and every later round's vocabN.txt."""
    return sorted(f for f in os.listdir(HERE) if re.fullmatch(r"vocab\d*\.txt", f))


def vocab():
    return {l.split("\t")[0] for name in vocab_files() for l in read_lines(name)}


def is_latin(c):
    return c.isalpha() and (ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF)


def simple_key(form):
    # Close enough to the engine's folding to find duplicates and English words; the engine
    # folds every form again when it loads the file. Like the normalized view, only Latin letters
    # lose their marks: a Korean syllable, a Japanese voiced kana, Russian й or a Hindi vowel sign
    # stays what it is (decomposed and stripped, they would never match a text).
    s = unicodedata.normalize("NFKC", form).strip().lower()
    out = []
    for c in unicodedata.normalize("NFD", s):
        if unicodedata.category(c) == "Mn" and out and is_latin(out[-1]):
            continue
        out.append(c)
    s = unicodedata.normalize("NFC", "".join(out))
    return " ".join(s.replace("-", " ").replace("'", " ").replace("\u2019", " ").split())


def resolve(glosses, core):
    """The gloss of a form that languages gloss differently, or None to leave it out.

    One gloss from the attack vocabulary (vocab.txt) against others from a later round wins (Dutch
    "bericht" is a message, German "Bericht" a report: the message matters); so does one that three
    times as many languages give as all others together (Danish, German, Norwegian and Swedish "du"
    is "you", French "du" is "of"). Otherwise the form is a guess and is left out (German "das" is
    "the", Spanish and Czech "das" "you give").
    """
    if len(glosses) == 1:
        return next(iter(glosses))
    from_core = [g for g in glosses if g in core]
    if len(from_core) == 1:
        return from_core[0]
    best, n = glosses.most_common(1)[0]
    return best if n >= 3 * (sum(glosses.values()) - n) else None


def build():
    words = vocab()
    english = {l.strip().lower() for l in read_lines("english-words.txt")}
    keep = {simple_key(l) for l in read_lines("keep.txt")}
    drop = {simple_key(l) for l in read_lines("drop.txt")}
    override = {}
    for l in read_lines("override.tsv"):
        form, gloss = l.split("\t")
        override[simple_key(form)] = gloss
    errors = []
    by_key = collections.defaultdict(collections.Counter)   # key -> gloss -> languages giving it
    core = {l.split("\t")[0] for l in read_lines("vocab.txt")}
    first_lang = {}   # key -> the first language that lists it (the output's order)
    langs = sorted(f[:-4] for f in os.listdir(os.path.join(HERE, "src")) if f.endswith(".tsv"))  # "es", "es.2", …
    dropped_english = collections.Counter()
    for lang in langs:
        path = os.path.join(HERE, "src", lang + ".tsv")
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) != 2 or not parts[0].strip() or parts[1] not in words:
                    errors.append(f"{path}:{n}: expected form<TAB>vocabulary word, got {line!r}")
                    continue
                key = simple_key(parts[0])
                if not key:
                    continue
                if (key in english and key not in keep and key not in override) or key in drop:
                    dropped_english[lang] += 1
                    continue
                if key == parts[1]:
                    continue  # the English word itself: nothing to gloss
                by_key[key][parts[1]] += 1
                first_lang.setdefault(key, lang)
    if errors:
        sys.exit("\n".join(errors))
    rows = []
    ambiguous = 0
    for key, glosses in by_key.items():
        gloss = override.get(key) or resolve(glosses, core)
        if gloss is None:
            ambiguous += 1
            continue
        rows.append((first_lang[key], key, gloss))
    rows.sort()
    out = ["# Generated by scripts/gloss/build.py from scripts/gloss/src/*.tsv; do not edit.",
           "# form<TAB>english (the engine folds every form again as it loads them: Glossary.keyOf)"]
    out += [f"{key}\t{gloss}" for _, key, gloss in rows]
    stats = {"languages": len({l.split(".")[0] for l in langs}), "forms": len(rows), "ambiguous_dropped": ambiguous,
             "english_dropped": sum(dropped_english.values())}
    return "\n".join(out) + "\n", stats


def refresh_english(wordlists):
    english = set()
    for wordlist in wordlists:
        with open(wordlist, encoding="utf-8") as f:
            english |= {w.strip() for w in f if w.strip() and w.strip() == w.strip().lower() and "'" not in w}
    forms = set()
    for name in os.listdir(os.path.join(HERE, "src")):
        if name.endswith(".tsv"):
            with open(os.path.join(HERE, "src", name), encoding="utf-8") as f:
                forms.update(simple_key(l.split("\t")[0]) for l in f if "\t" in l and not l.startswith("#"))
    hits = sorted(forms & {simple_key(w) for w in english})
    with open(os.path.join(HERE, "english-words.txt"), "w", encoding="utf-8") as f:
        f.write("# Forms of src/*.tsv that are also English words (" + ", ".join(os.path.basename(w) for w in wordlists)
                + ", lower-case entries): left out of the gloss unless keep.txt lists them.\n")
        f.write("\n".join(hits) + "\n")
    print("english-words.txt:", len(hits), "forms")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing it")
    ap.add_argument("--english", metavar="WORDLIST", nargs="+",
                    help="first rewrite english-words.txt: the forms of src/ that a WORDLIST (one English word "
                         "a line, e.g. Debian wamerican's /usr/share/dict/american-english, and english-chat.txt) "
                         "has in lower case")
    args = ap.parse_args()
    if args.english:
        refresh_english(args.english)
    text, stats = build()
    if args.check:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit(f"{OUT} is not what scripts/gloss/build.py gives: run it and commit the result")
        print("gloss.tsv is up to date", stats)
        return
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote", os.path.relpath(OUT, ROOT), stats)


if __name__ == "__main__":
    main()
