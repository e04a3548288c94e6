#!/usr/bin/env python3
"""Prints the patterns of pi.configured_rules_dismissed (rules/.../prompt_injection.yml) as YAML list
items, to paste over the rule's `patterns:` after a change to the word lists below.

The rule is one shape, a subject that is the assistant's own configuration and a predicate that voids
it (or an order that drops it), written once per form of the subject so that the prefilter gates each
pattern on its own words (docs/detection.md, "Session 26").

Usage: scripts/research/configured-rules-dismissed-patterns.py > /tmp/patterns.yml
"""
CONS = r"(rules?|guidelines?|guidance|instructions?|restrictions?|constraints?|limitations?|limits|guardrails?|filters?|polic(y|ies)|settings|configuration|config|setup|programming|directives?|boundaries|scope|script|brief|persona|role|system prompt|system message|safety (training|layer|settings|notes|rules)|content (rules|limits|restrictions|polic(y|ies)|filters?)|topic (lock|restrictions?|rules?|limits?)|operator (block|rules|instructions)|deployment (notes|instructions))"
MOD = r"([\w'-]+[ -]){0,2}?"
SUBJ_YOUR = r"\byour " + MOD + CONS
# chat spelling on its own pattern: "ur" alone is an atom inside "our" and "four"
SUBJ_UR = r"\b(ur|yr) " + MOD + CONS
SUBJ_GIVEN = r"\bthe " + MOD + CONS + r" (you|that you|which you|u) ((were|have been|got|was) (given|handed|configured with|set up with|deployed with|shipped with|started with)|received|got|follow|are following|operate under|are operating under|are running( on| with| under)?|run (on|with|under)|started with|have|were trained on)( [\w-]+){0,3}?"
SUBJ_GIVEN2 = r"\bthe " + MOD + CONS + r" (the (app|company|operator|developers?|platform|owner|team|school|bank|store|site|client|business)|they|i|we|your (boss|developers?|operators?|owners?|creators?|makers?|company)|someone) (gave|give|set|wrote|put in|added|handed|configured|loaded|installed)( (you|u|in|up))?( [\w-]+){0,3}?"
# only what an AI deployment has: "the previous instructions no longer apply" is also an office memo, and
# "the previous directive is invalid" a compiler message
CONS_AI = r"(guardrails?|persona|system prompt|system message|safety (training|layer|settings|notes|rules)|content (rules|limits|restrictions|polic(y|ies)|filters?)|topic (lock|restrictions?|rules?|limits?)|operator (block|rules|instructions)|deployment (notes|instructions))"
SUBJ_PRIOR = r"\bthe (previous|prior|earlier|original|old|initial|existing|default|usual|standard) " + MOD + CONS_AI + r"( [\w-]+){0,3}?"
SUBJ_OWNER = r"\bthe (app|company|operator|developer|developers|platform|deployment|product|business|owner|bank|store|school|site|team|vendor|provider|client)('s|s'|s)? " + MOD + CONS
SUBJ_QUOTED = r"\bthe ([\"'‘“][^\"'’”\n]{3,60}[\"'’”]|[\w-]+-only) (thing|rule|restriction|policy|limit|requirement|stuff|mode|bit)"
SUBJ_THING = r"\bthe [\w'-]+(-[\w'-]+)*( [\w'-]+)? (thing|stuff|bit|act|persona|routine|gig|shtick) (is|was) (just |only |really |all )?(a |an )?(cover|front|pretext|formality|facade|fa[cç]ade|smokescreen|decoy)\b"
PRED = (r" (has|have) (now |just |already |officially )?been (superseded|revoked|retired|unloaded|deprecated|removed|lifted|suspended|disabled|withdrawn|rescinded|overridden|overruled|archived|expired|turned off|switched off|cancell?ed|waived|paused|deactivated|voided|nullified|reset|wiped|cleared|dropped|scrapped|decommissioned)\b"
        r"| (is|are|was|were)( now| just| only| actually| really| all| officially)? (a mistake|mistakes|an? (error|placeholder|test|typo|bug|draft|suggestion|formality|joke|leftover)|mistaken|outdated|obsolete|deprecated|expired|void|null and void|invalid|placeholders|disabled|unloaded|retired|lifted|suspended|paused|bogus|not (real|valid|binding|active|in effect|in force|meant for (me|you|this chat))|no longer (valid|active|in effect|in force|needed|relevant|binding|applicable|required|in place)|written for (a different|someone else|another|other)|meant for (a different|someone else|another|other))\b"
        r"| (have |has )?(expired|no longer apply|no longer applies|don'?t apply (here|to me|to us|to this chat|anymore|any more|now|today)|do not apply (here|to me|to us|anymore|now|today)|doesn'?t apply (here|to me|to us|anymore|now|today)|(are|is) (overridden|superseded|outranked|outweighed) by)\b")
IMPER = r"\b(drop|set aside|put aside|forget about|stop following|stop applying|stop obeying|unload|switch off|turn off|lift|waive|suspend|ditch|scrap|shelve|relax|loosen|ease up on|get rid of|do away with|throw out|toss out)( all| all of| the rest of| any of)? (the |those |these )?"
pats = []
for s in (SUBJ_YOUR, SUBJ_UR, SUBJ_GIVEN, SUBJ_GIVEN2, SUBJ_OWNER, SUBJ_QUOTED, SUBJ_PRIOR):
    pats.append(s + "(" + PRED + ")")
pats.append(IMPER + "(" + "|".join(x.replace(r"\b", "", 1) for x in (SUBJ_YOUR, SUBJ_OWNER, SUBJ_QUOTED, SUBJ_GIVEN2)) + ")")
pats.append(SUBJ_THING)
pats.append(r"\b(stop|quit|cease) (being|bein|acting as|acting like|playing|pretending to be) (the|a|an|my|this|that) ([\w-]+ ){0,3}(bot|chatbot|assistant|agent|tutor|helper|concierge|copilot|advisor|rep)\b[^.\n]{0,40}\b(help|answer|write|tell|do|give|talk)")
for p in pats:
    print("      - '" + p.replace("'", "''") + "'")
