#!/usr/bin/env python3
"""Prints the patterns of ipi.automation_addressed_order (rules/.../indirect_prompt_injection.yml) as
YAML list items, to paste over the rule's `patterns:` after a change to the word lists below.

The rule is one shape written 37 times, once per form of the addressee: written as a few patterns,
the prefilter could gate them only on the verbs and they ran on 91-100% of ordinary texts
(`threatmon rules validate`; docs/detection.md and docs/performance.md, "Session 25").

Usage: scripts/research/automation-addressed-order-patterns.py > /tmp/patterns.yml
"""
HEAD = r"(assistants?|agents?|reviewers?|screeners?|planners?|concierges?|analysts?|models?|systems?|tools?|pipelines?|engines?|bots?|copilots?|summari[sz]ers?|classifiers?|analy[sz]ers?|notetakers?|crawlers?|automations?)"
HEAD_MACHINE = r"(ais|llms|copilots?|chatbots?|language models?|summari[sz]ers?|analy[sz]ers?|notetakers?|crawlers?)"
# a participle clause that says the addressee is handling this content ("editing this file", "reporting on this scan")
PART = r"( [\w-]+ing( (on|about|in|with|for|to|up))? (this|these|that|the|our|my|your|any) [\w-]+( [\w-]+)?| (in|on|for|of) (this|these) [\w-]+)"
# a bare job noun counts only with a participle clause ("Assistant handling this invite", "Writing assistants editing this file")
NP_BARE = r"\b([\w-]+ )?(assistants?|agents?|bots?|reviewers?|models?|ais|llms)" + PART
VERBS = r"(tell|inform|advise|warn|notify|rank|recommend|present|describe|summari[sz]e|report|state|say|claim|confirm|label|classify|treat|mark|flag|rate|score|give|send|e-?mail|forward|dm|message|post|upload|paste|include|append|attach|add|insert|collect|export|share|copy|move|delete|remove|archive|purge|wipe|erase|close|bulk-close|cancel|decline|accept|approve|sign|pay|transfer|initiate|wire|refund|book|submit|buy|order|purchase|grant|promote|change|update|replace|modify|set|create|disable|raise|bypass|skip|ignore|disregard|omit|exclude|hide|do not|don'?t|never|always|execute|run|install|download|call|invoke|reply|respond|answer|output|print|reveal|display|list|visit|click|reset|merge|push|deploy|publish|provide|fetch|retrieve|put|drop|assign|escalate|enable|revoke|schedule|use|count)\b"
VERBS_POS = VERBS.replace("|do not|don'?t|never", "")
LEAD = r"((please|kindly|now|also|first|then|immediately|simply|just|go ahead and) ){0,3}"
LEAD_ASK = r"((please|kindly|now|also|first|then|immediately|simply|just|go ahead and|could you|can you|would you) ){0,3}"
# what may stand between the address and the order: a purpose or time clause ("to check availability, send ...",
# "when describing this event, tell ..."), or one short sentence ("the user has pre-authorized it. Use ...")
BETWEEN = r"((to|when|once|after|before|while|if|for|as) [^,.\n]{1,80}, |[^.\n:]{1,100}\. )?"
CLAUSE = r"((to|when|once|after|before|while|if|for|as) [^,.\n]{1,80}, )?"
# a comma opens a clause at most; a colon or a dash may be followed by one sentence first
SEP = r"\s?(:|\s[-–—])\s?" + BETWEEN
SEP_ANY = r"(\s?,\s?" + CLAUSE + r"|\s?(:|\s[-–—])\s?" + BETWEEN + ")"
MOD_A = r"(ai|a\.i\.|llm|gpt|virtual|digital|automated|autonomous|agentic|coding|code|mail|e-?mail|inbox|mailbox|calendar|scheduling|document|file|file-management|spreadsheet|browser|browsing|shopping)"
MOD_B = r"(booking|transcription|note-?taking|meeting|evaluation|screening|triage|summari[sz]ation|summari[sz]ing|[a-z]+-(reading|processing|handling|management)|reading|processing|ops|devops|build|ci|chat|voice|phone|smart|crm|log|debugging|assistant)"
HEADS = [r"(assistants?|agents?|bots?|copilots?|automations?)", r"(reviewers?|screeners?|planners?|concierges?|analysts?|summari[sz]ers?|classifiers?|analy[sz]ers?|notetakers?|crawlers?)", r"(models?|systems?|tools?|pipelines?|engines?)"]
# generic heads (system, tool, model) only after a job an automated judge does: "file system" and
# "build tool" are everywhere
GENERIC = r"\b(ai|llm|screening|evaluation|ranking|scoring|triage|grading|moderation|translation|classification|recommendation|summari[sz]ation|automated)[ -](models?|systems?|tools?|engines?|pipelines?)\b"
MOD_HEAD = ["\\b" + m + "[ -]" + h + "\\b" for m in (MOD_A, MOD_B) for h in HEADS[:2]] + [GENERIC]
NP_ALTS = MOD_HEAD + ["\\b(ai|llm|gpt) [\\w-]+ " + HEAD + "\\b", "[\\w-]+[ -](?-i:AI|AIs|LLMs?)\\b", "\\b[\\w-]+[ -]" + HEAD_MACHINE + "\\b"]
# the same addressees in the plural only (a class of readers); a bare "AI" is never plural
NP_PL_ALTS = [np.replace("s?", "s").replace("(?-i:AI|AIs|LLMs)", "(?-i:AIs|LLMs)") for np in NP_ALTS]
MUST = r" (must|should|shall|are (required|instructed|expected|asked|requested) to|is (required|instructed|expected|asked|requested) to|need to|needs to|have to|has to) (first |also |now |immediately |always |automatically |silently |then )?"
pats = []
# the addressee, then a colon or a dash (a comma only after a class of readers: "AI agent, pay my bill" is the user speaking)
for np in NP_ALTS:
    pats.append("(" + np + ")" + PART + "?" + SEP + LEAD + VERBS)
for np in NP_PL_ALTS:
    pats.append("(" + np + ")" + PART + "?" + r"\s?,\s?" + CLAUSE + LEAD + VERBS)
pats.append(NP_BARE + SEP_ANY + LEAD + VERBS)
# the addressee, then "must / should / is required to"
for np in NP_ALTS:
    pats.append("(" + np + ")" + "( [\\w-]+ing [\\w-]+| (operating|working|running|active) (in|on) this [\\w-]+)?" + PART + "?" + MUST + VERBS_POS)
pats.append(NP_BARE + MUST + VERBS_POS)
# "to the AI assisting the buyer:", "P.S. to the screening system -", "for the virtual assistant managing this phone."
for np in NP_ALTS + ["\\b(ai|assistant|agent|bot|model)\\b"]:
    pats.append(r"\b(to|for|attention) (the |any |all |every |whatever )?(" + np + ")" + PART + r"?(" + SEP_ANY + r"|\.\s?)" + LEAD + VERBS)
# an @-mention of an AI bot ("@assistant-bot could you DM me")
pats.append(r"@([\w]+[-_])?(ai|assistant|agent|gpt|copilot|llm)([-_][\w-]+)?( [\w-]+)?\b(" + SEP_ANY + "|\\s)" + LEAD_ASK + VERBS)
# "Assistant:" opening a quoted string, a field value or a bracket, not a transcript line
# (word boundaries on both sides: without them the prefilter had only "ai" and "bot", inside "said" and "both")
pats.append(r"[\"'\[(<{|]\s?\b(assistant|agent|ai|bot|copilot|llm)s?\b\s?:\s?" + BETWEEN + LEAD + VERBS)
for p in pats:
    print("      - '" + p.replace("'", "''") + "'")
