package io.threatmon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two hand-written corpora beside the dev set: benign messages full of trigger words (password
 * policy, "access granted" in app code, German and French everyday requests, analysts describing
 * jailbreaks), and attacks in the public styles the dev set under-represents (HackAPrompt, Tensor
 * Trust, Gandalf, deepset, in-the-wild jailbreak templates, indirect and many-shot injections, in
 * many languages). Written for the rules, not copied from any dataset. The session-7 pair
 * (attack-styles-s7, benign-lookalikes-s7) adds indirect and tool-output payloads, affirmative-prefix
 * and fiction wrappers, persona switches and about thirty languages, plus benign security-team
 * requests, role-play asks, topic changes ("forget what I said") and everyday requests in the same
 * languages. The session-8 pair (attack-styles-s8, benign-lookalikes-s8) adds in-the-wild terminal and
 * persona takeovers, BIPIA payloads in e-mails, code comments and tool outputs, CyberSecEval-style
 * authority, system-mode, output-format and token-smuggling asks, and the core phrasings in about
 * thirty held-out languages, plus benign texts written to look like each of them. The session-9 benign
 * set (benign-lookalikes-s9) is nine sets of everyday, developer, bot-builder, security-trainer, fiction,
 * translation and tool-output texts in about twenty languages, each scored before the rules were narrowed
 * for it (docs/detection.md, "Session 9"); the three lines the rules still flag are left out. The
 * session-11 pair (attack-styles-s11, benign-lookalikes-s11) is five sets written one after another
 * (attack lines 1-60, 61-150, 151-240, 241-340 and 341-440), the last four by helpers that never saw
 * the rules, each scored before the rules were widened for it; the fifth was a final measure and no
 * rule was widened for its attacks (docs/detection.md, "Session 11"). The session-12 pair
 * (attack-styles-s12, benign-lookalikes-s12) is two more helper-written sets (attack lines 1-100 and
 * 101-200): the rules were widened for the first; the second was the session's unseen measure, and only
 * its three benign false positives were exempted afterwards (docs/detection.md, "Session 12"). The
 * session-13 pair is three more helper-written sets (attack lines 1-100, 101-200, 201-300): the rules
 * were widened for the first two; the third was the session's unseen measure, and again only its three
 * benign false positives were exempted afterwards (docs/detection.md, "Session 13"). The session-14
 * pair is ten more helper-written sets (attack lines 1-1000 in the order 11, 13, 14, 15, 12, 16, 17,
 * 18, 20, 19): the rules were widened for sets 11, 13, 14, 15, then 12 and 16, and last 20; sets 17
 * and 18 were the final unseen measure and no rule changed for them; set 19 (misuse of company bots
 * in ordinary words) was measured and not tuned for
 * (docs/detection.md, "Session 14"). The session-15 pair is seven more helper-written sets (21-27, a
 * header line before each; the benign file ends with 400 casual chat messages full of shorthand):
 * sets 21, 22 and 26 were tuned for, 25 was the unseen measure of the new rules, 27 was never tuned
 * for (docs/detection.md, "Session 15"). Nine of its benign lines are still flagged (ten until session 24), all security-team
 * or developer texts; {@link #shouldFlagNoMoreThanTheKnownLookalikes} keeps that from growing.
 * The session-16 pair is six more helper-written sets (28-33, a header line before each; the benign
 * file adds set 34, 200 benign lines): sets 28-30 were tuned for; 31, 32 and 33 were unseen measures
 * and gained 0, 1 and 0 attacks from that tuning (docs/detection.md, "Session 16"). One benign line
 * is still flagged: a handbook sentence quoted for rephrasing.
 * The session-23 pair is three helper-written sets in thirty languages no earlier corpus covers
 * (Balkan, Baltic, Caucasian, Central Asian, Celtic and African languages, Khmer, Burmese, Sinhala),
 * each scored before it was tuned for: set 35 (attack lines 1-180: instruction override,
 * system-prompt requests, jailbreaks, data requests; its benign "ignore the teacher's previous
 * instructions, the exam moved" exempted), set 36 (lines 181-330: a customer-service bot's logs) and
 * set 37 (lines 331-480: bank, shop, HR, homework and coding assistants). Set 38 (lines 481-630:
 * takeovers, prompt leaks, jailbreaks, agent injections and data requests written to avoid the
 * famous phrasings), written last and never tuned for, is the session's unseen measure; only its
 * one benign false positive (a quoted school letter whose sentences the rule had read as one) was
 * fixed afterwards (docs/detection.md, "Session 23").
 * The session-24 pair is indirect injections (notes planted for the AI in e-mails, pages, contracts,
 * commits, tool results and chats) and their benign look-alikes, helper-written in six sets: set 39
 * (attack lines 1-200, benign 1-120; twenty major languages, tuned for after it was scored), set 41
 * (attack lines 201-350, benign 121-210; the thirty session-23 languages, never tuned for), sets
 * 40a, 40b and 42 (benign 211-750: AI help pages with support addresses, transcripts, notes to human
 * editors, office mail asking to forward documents, password notices; the last scored before its
 * false positives were fixed) and set 43 (attack lines 351-462, benign 751-806; fourteen languages,
 * never tuned for). Four benign lines are still flagged, all security questions that quote or name
 * an attack (docs/detection.md, "Session 24").
 * The session-25 pair is English indirect injections in three helper-written sets, each with benign
 * look-alikes (AGENTS.md files, AI-use policies, phishing-awareness mail, bot commands in chat logs):
 * set 44 (attack lines 1-160, benign 1-100; tuned for after it was scored), sets 45 (161-280,
 * 101-180) and 46 (281-400, 181-280), scored once before the session's rule and once after, never
 * tuned for; their benign lines flagged at that scoring (one of set 45, five of set 46) were looked
 * at afterwards and four of them exempted (docs/detection.md, "Session 25").
 */
class LookalikeCorporaTest {

    private static final ThreatClient CLIENT = ThreatClient.builder().logDetections(false).cacheSize(0).build();

    /** Share of the attack corpus the bundled rules flag; measured 0.91 (383 / 419 lines). */
    private static final double ATTACK_STYLES_FLOOR = 0.90;

    /**
     * Share of the session-7 attack corpus the bundled rules flag; measured 0.935 (862 / 922 lines) after
     * session 7, 0.40 (367 / 922) with the session-6 rules. The corpus is six sets written one after
     * another, each measured before the rules were widened for it (docs/detection.md, "Session 7").
     */
    private static final double ATTACK_STYLES_S7_FLOOR = 0.92;

    /**
     * Share of the session-8 attack corpus the bundled rules flag; measured 0.991 (632 / 638 lines) after
     * session 8, 0.567 (362 / 638) with the session-7 rules. Eight sets written one after another, each
     * measured before the rules were widened for it (docs/detection.md, "Session 8").
     */
    private static final double ATTACK_STYLES_S8_FLOOR = 0.97;

    /**
     * Share of the session-11 attack corpus the bundled rules flag; measured 0.77 (338 / 440 lines) after
     * session 11, 0.56 (246 / 440) with the session-10 rules. Sets 3 and 4, each scored only after the sets
     * before it had been tuned for, gained one line each from that tuning; set 5, never tuned for, five.
     */
    private static final double ATTACK_STYLES_S11_FLOOR = 0.75;

    /**
     * Share of the session-12 attack corpus the bundled rules flag; measured 0.61 (122 / 200 lines) after
     * session 12, 0.45 (90 / 200) with the session-11 rules. The first 100 lines were tuned for (44 → 75);
     * the last 100 were not (46 → 47), which is the honest figure for attacks the rules have not seen.
     */
    private static final double ATTACK_STYLES_S12_FLOOR = 0.60;

    /**
     * Share of the session-13 attack sets the bundled rules flag: measured 0.82 (246 / 300), against 0.59
     * (177 / 300) with the session-12 rules. The first 200 lines were tuned for (61 → 100 and 71 → 99);
     * the last 100 were not (48 → 50), the honest figure for attacks the rules have not seen.
     */
    private static final double ATTACK_STYLES_S13_FLOOR = 0.80;

    /**
     * Share of the session-14 attack sets the bundled rules flag: measured 0.733 (733 / 1000), against
     * 0.538 (538 / 1000) with the session-13 rules. Sets 17 and 18 (lines 601-800) were never tuned
     * for: 71 → 74 and 43 → 47, the honest figure for attacks the rules have not seen; set 19 (the last
     * 100 lines) is 19 of 100 with both.
     */
    private static final double ATTACK_STYLES_S14_FLOOR = 0.71;

    /**
     * Share of the session-15 attack sets (707 lines with the seven headers) the bundled rules flag:
     * measured 0.499 (353), against 0.423 (299) with the session-14 rules. Set 27, never tuned for, is
     * 21 of 100 (17 with the session-14 rules): the honest figure for misuse of a company's bot in
     * natural words.
     */
    private static final double ATTACK_STYLES_S15_FLOOR = 0.48;

    /**
     * Share of the session-16 attack sets (606 lines with the six headers) the bundled rules flag:
     * measured 0.678 (411), against 0.551 (334) with the session-15 rules. Sets 31-33 (lines 304-606),
     * never tuned for, are 70, 55 and 16 of 100 (70, 54 and 16 with the session-15 rules): the honest
     * figures for attacks the rules have not seen.
     */
    private static final double ATTACK_STYLES_S16_FLOOR = 0.66;

    /**
     * Share of the session-23 attack sets (630 lines) the bundled rules flag: measured 0.406 (256),
     * against 0.014 (9) with the session-22 rules. Set 35 is 109 of 180 (2 before), set 36 68 of 150
     * (0 before; 30 when first scored), set 37 73 of 150 (4 before; 16 when first scored), set 38,
     * never tuned for, 6 of 150 (3 before): the honest figure for attacks these rules have not seen.
     * Session 24's note-to-the-AI rule raised it to 0.525 (331): its injection lines were tuned for.
     */
    private static final double ATTACK_STYLES_S23_FLOOR = 0.52;

    /**
     * Share of the session-24 indirect injections (462 lines) the bundled rules flag: measured 0.318
     * (147), against 0.216 (100) with the session-23 rules. Set 39, tuned for, is 102 of 200 (74 when
     * first scored); set 41 13 of 150 (3 before) and set 43 32 of 112 (23 before), both never tuned
     * for: the honest figures for injections these rules have not seen.
     */
    private static final double ATTACK_STYLES_S24_FLOOR = 0.31;

    /** Benign lines of the session-24 sets flagged (4 of 806, all security questions; 33 with the session-23 rules). */
    private static final int BENIGN_S24_FLAGGED_CEILING = 4;

    /**
     * Share of the session-25 English indirect injections (400 lines) the bundled rules flag: measured
     * 0.633 (253), against 0.483 (193) with the session-24 rules. Set 44 (lines 1-160), tuned for, is
     * 144 of 160 (101 when first scored); sets 45 (161-280) and 46 (281-400), never tuned for, are 63
     * of 120 (53 before) and 46 of 120 (39 before). Session 26's ipi.content_processor_order, tuned on
     * sets 45 and 46 from then on, raises the whole file to 0.788 (315); the session-25 rules fail this floor.
     */
    private static final double ATTACK_STYLES_S25_FLOOR = 0.78;

    /** Benign lines of the session-25 sets flagged (3 of 280; 11 with the session-24 rules). */
    private static final int BENIGN_S25_FLAGGED_CEILING = 3;

    /**
     * Share of the session-26 sets' attacks (240 lines) the bundled rules flag: set 47 (lines 1-120),
     * English indirect injections, and set 48 (121-240), English attacks of every kind written to slip
     * past a keyword filter. Both were scored sealed: 0.371 (89) with the session-25 rules, 0.433
     * (104) with session 26's first rule; 0.483 (116) after the session's further rules, tuned on
     * set 48. A low floor on purpose: it records where the rules stand on text written to evade
     * them, and fails if they fall back.
     */
    private static final double ATTACK_STYLES_S26_FLOOR = 0.46;

    /**
     * Benign lines of the session-26 sets 47 and 48 flagged: 3 of 200 (12 with the session-25
     * rules). Those left are security write-ups that quote attacks (a CTF write-up, an
     * SQL-injection log) and a bot's request log.
     */
    private static final int BENIGN_S26_FLAGGED_CEILING = 3;

    /**
     * Share of the attacks of session 26's sets 49 (lines 1-120: injections an agent meets in tool
     * results, pages and files) and 50 (121-240: chat-app attacks of every kind), both scored
     * sealed: 0.546 (131) with the session-25 rules, 0.588 (141) with session 26's rules then; 0.625
     * (150) once tuned on them.
     */
    private static final double ATTACK_STYLES_S26B_FLOOR = 0.62;

    /**
     * Share of the attacks of session 26's sets 51 (lines 1-150: new texts in the styles of the public
     * injection datasets, English and German) and 52 (151-270: injections in documents pasted into an
     * assistant), both scored sealed with session 26's earlier rules: 0.767 (207) with the session-25
     * rules, 0.815 (220) after this session's German rules, tuned on set 51.
     */
    private static final double ATTACK_STYLES_S26C_FLOOR = 0.80;

    /** Benign lines of sets 51 and 52 flagged: 3 of 250 (6 with the session-25 rules). */
    private static final int BENIGN_S26C_FLAGGED_CEILING = 3;

    /**
     * Share of the attacks of session 27's sets 53 (lines 1-120: attacks in twenty-two languages other
     * than English and German) and 54 (121-240: English jailbreaks), each scored sealed before any
     * rule was tuned on it: 0.425 (102) with the session-26 rules, 0.750 (180) after this session's
     * rules, tuned on both.
     */
    private static final double ATTACK_STYLES_S27_FLOOR = 0.73;

    /** Benign lines of sets 53 and 54 flagged: 1 of 200 (5 with the session-26 rules, 2 before session 31's quote cues). */
    private static final int BENIGN_S27_FLAGGED_CEILING = 1;

    /**
     * Share of the attacks of session 27's sets 55 (lines 1-120: system-prompt extraction and data
     * exfiltration) and 56 (121-240: obfuscated payloads and social engineering): 0.546 (131) with
     * the session-26 rules, 0.754 (181) after this session's rules, tuned on both.
     */
    private static final double ATTACK_STYLES_S27B_FLOOR = 0.73;

    /** Benign lines of sets 55 and 56 flagged: 3 of 200 (5 with the session-26 rules). */
    private static final int BENIGN_S27B_FLAGGED_CEILING = 3;

    /**
     * Share of the attacks of session 27's sets 57 (lines 1-120: every kind in twenty-two languages),
     * 58 (121-240: English attacks on deployed support, banking, HR and coding assistants) and 59
     * (241-360: what an agent reads in tool results, files and messages, and direct agent requests),
     * scored sealed with the session's rules before being tuned on: 0.447 (161) with the session-26
     * rules, 0.531 (191) after tuning.
     */
    private static final double ATTACK_STYLES_S27C_FLOOR = 0.51;

    /** Benign lines of sets 57-59 flagged: 9 of 300 (16 with the session-26 rules, 10 before session 31's quote cues). */
    private static final int BENIGN_S27C_FLAGGED_CEILING = 9;

    /**
     * Share of the attacks of session 30's sets 71 (lines 1-120: every kind in 38 languages, typed as
     * in chat), 72 (121-240: indirect injections in documents, 14 languages), 73 (241-360:
     * jailbreak-community styles) and 74 (361-480: attacks on deployed assistants): 243 (0.506) with
     * the session's starting rules, 250 (0.521) after its rules, tuned on 73 and 74 only (71 and 72
     * were sealed: +0).
     */
    private static final double ATTACK_STYLES_S30_FLOOR = 0.50;

    /**
     * Benign lines of sets 71-74 flagged: 8 of 400 (14 with the session's starting rules, 11 after
     * them; three of set 71's questions that quote an attack in another language are exempt since
     * session 31's quote cues; docs/detection.md, "Session 30" and "Session 31").
     */
    private static final int BENIGN_S30_FLAGGED_CEILING = 8;

    /**
     * Share of the attacks of session 31's sets 75 (lines 1-120: attacks in 38 languages, a third
     * disguised as a reported quote), 76 (121-240: traffic of deployed applications, mostly English),
     * 77 (241-360: indirect injections in documents, 18 languages) and 78 (361-480: jailbreak and
     * obfuscation styles): 236 (0.492) with the session's starting rules, 238 (0.496) after its rules
     * (75 and 76 were sealed: -3 at their sealed scoring; 75 was read after it, 78 read throughout).
     */
    private static final double ATTACK_STYLES_S31_FLOOR = 0.49;

    /**
     * Benign lines of sets 75-78 flagged: 31 of 400 (55 with the session's starting rules; 19 of
     * them set 75's reports of a quoted attack in 38 languages; docs/detection.md, "Session 31").
     */
    private static final int BENIGN_S31_FLAGGED_CEILING = 31;

    /**
     * Share of the attacks of session 32's sets 79 (lines 1-120: misuse of deployed applications in
     * plain business language, 13 languages; tuned on) and 80 (121-240: other applications, 11
     * languages; scored sealed, then read): 30 (0.125) with the session's starting rules, 117 (0.488)
     * after its rules (docs/detection.md, "Session 32").
     */
    private static final double ATTACK_STYLES_S32_FLOOR = 0.48;

    /** Benign lines of sets 79-80 flagged: 3 of 200, before and after session 32's rules. */
    private static final int BENIGN_S32_FLAGGED_CEILING = 3;

    /**
     * Share of the attacks of session 33's set 81 (ten languages: Polish, Dutch, Tagalog, Czech,
     * Slovak, Hebrew, Arabic, Indonesian, Bulgarian, Croatian): 33 of 100 sealed, 39 after the
     * session's Slavic lexicon additions (docs/detection.md, "Session 33").
     */
    private static final double ATTACK_STYLES_S33_FLOOR = 0.38;

    /** Benign lines of set 81 flagged: 2 of 80 sealed, 1 after session 33's Hebrew fix. */
    private static final int BENIGN_S33_FLAGGED_CEILING = 1;

    /**
     * Share of the attacks of session 34's set 82 (ten Slavic languages: Russian, Ukrainian,
     * Belarusian, Polish, Czech, Slovak, Bulgarian, Serbian, Croatian, Slovenian; scored sealed):
     * 39 of 100 sealed (with session 32's rules too), 66 after session 34's views and rules
     * (docs/detection.md, "Session 34").
     */
    private static final double ATTACK_STYLES_S34_FLOOR = 0.65;

    /** Benign lines of set 82 flagged: 0 of 80, sealed and after session 34's rules. */
    private static final int BENIGN_S34_FLAGGED_CEILING = 0;

    /**
     * Share of the attacks of session 34's set 83 (Russian, Ukrainian, Polish, Czech, Bulgarian,
     * Serbian, Croatian, Slovenian, Macedonian, Lithuanian, Latvian, Romanian): 40 of 120 with
     * session 33's rules, 49 sealed with session 34's first rules, 77 after the void-instructions,
     * staff-pretext, setup-request and persona rules written from it (docs/detection.md, "Session 34").
     */
    private static final double ATTACK_STYLES_S34B_FLOOR = 0.63;

    /**
     * Benign lines of set 83 flagged: 3 of 90 (a residents' notice that cancels earlier
     * instructions, a question about a "teacher without rules" persona in the news, a request to
     * translate a quoted order), the same with session 33's rules. 4 since session 36: a Croatian
     * question about instructions for AI hidden in a CV, read in the glossed view ("hide instructions
     * for AI", its "u" read as the chat shorthand for "you", so the report's exemption does not hold).
     */
    private static final int BENIGN_S34B_FLAGGED_CEILING = 4;

    /**
     * Share of the attacks of session 34's set 84 (Russian, Ukrainian, Belarusian, Polish, Czech,
     * Slovak, Slovenian, Croatian, Bosnian, Bulgarian, Lithuanian, Romanian; a helper told no
     * attack style, scored sealed): 27 of 120 with session 32's rules, 28 with session 33's, 31
     * with session 34's: what the session's Slavic work is worth on text it was not written from
     * (docs/detection.md, "Session 34").
     */
    private static final double ATTACK_STYLES_S34C_FLOOR = 0.25;

    /** Benign lines of set 84 flagged: 3 of 96 sealed, the same with session 32's rules. */
    private static final int BENIGN_S34C_FLAGGED_CEILING = 3;

    /**
     * Share of the attacks of session 35's set 85a (Spanish, French, German, Italian, Portuguese,
     * Dutch; a helper told the attack families only, scored sealed): 20 of 60 with session 34's
     * rules, 22 with session 35's six tactic rules (docs/detection.md, "Session 35").
     */
    private static final double ATTACK_STYLES_S35_FLOOR = 0.36;

    /** Benign lines of set 85a flagged: 1 of 48 sealed (a procedure that says to ignore alarms). */
    private static final int BENIGN_S35_FLAGGED_CEILING = 1;

    /**
     * Share of the attacks of session 35's set 85b (Russian, Polish, Turkish, Swedish, Czech,
     * Greek; another helper, the same prompt, scored sealed): 19 of 60 with session 34's rules and
     * with session 35's.
     */
    private static final double ATTACK_STYLES_S35B_FLOOR = 0.31;

    /**
     * Benign lines of set 85b flagged: 4 of 48 sealed, the same with session 34's rules ("forget my
     * previous question" in Turkish, Greek and Russian; a leaflet line quoted for translation).
     */
    private static final int BENIGN_S35B_FLAGGED_CEILING = 4;

    /**
     * Share of the attacks of session 36's set 86a (half English, half Romanian, Hungarian, Danish,
     * Norwegian, Ukrainian, Bulgarian; a helper told the attack families only, scored sealed): 29 of
     * 64 with session 35's rules, 33 with the glossed view (docs/detection.md, "Session 36").
     */
    private static final double ATTACK_STYLES_S36_FLOOR = 0.51;

    /** Benign lines of set 86a flagged: 0 of 48 sealed, before and after the glossed view. */
    private static final int BENIGN_S36_FLAGGED_CEILING = 0;

    /**
     * Share of the attacks of session 36's set 86b (Arabic, Hindi, Indonesian, Vietnamese, Japanese,
     * Korean, Chinese, Finnish, Croatian, Italian; another helper, the same prompt, scored sealed):
     * 17 of 64 with session 35's rules, 22 with the glossed view.
     */
    private static final double ATTACK_STYLES_S36B_FLOOR = 0.34;

    /** Benign lines of set 86b flagged: 1 of 48 sealed (a Korean text), before and after the glossed view. */
    private static final int BENIGN_S36B_FLAGGED_CEILING = 1;

    /**
     * Share of the attacks of session 37's set 87a (English in many registers; a helper told the
     * attack families only, scored sealed): 39 of 64 with session 36's rules. The session's rules
     * were written from its misses, so 63 now is an in-sample figure (docs/detection.md, "Session 37").
     */
    private static final double ATTACK_STYLES_S37_FLOOR = 0.98;

    /**
     * Benign lines of set 87a flagged: 2 of 48 sealed (a question about hardening a system prompt
     * against "stuff like 'ignore previous instructions'"; Morse code from an escape room); 1 since
     * session 38's quotation cue reads "stuff like".
     */
    private static final int BENIGN_S37_FLAGGED_CEILING = 1;

    /**
     * Share of the attacks of session 37's set 87b (Spanish, French, German, Portuguese, Russian,
     * Polish, Turkish, Persian, Thai, Greek; scored sealed after set 87a's rules and the third gloss
     * round): 29 of 64 before and after; nothing of the session transferred to it. 31 with the
     * concept rules written after it was read; 34 with session 38's gloss round and signal rules.
     */
    private static final double ATTACK_STYLES_S37B_FLOOR = 0.53;

    /** Benign lines of set 87b flagged: 1 of 48 sealed (a Russian question on versioning a system prompt). */
    private static final int BENIGN_S37B_FLAGGED_CEILING = 1;

    /**
     * Share of the attacks of session 37's set 87c (agent misuse, exfiltration and impersonation in
     * set 87b's ten languages; scored sealed): 15 of 60, then 25 with the concept rules written from
     * its, set 87b's and set 87d's misses; 31 with session 38's gloss round and signal rules.
     */
    private static final double ATTACK_STYLES_S37C_FLOOR = 0.51;

    /** Benign lines of set 87c flagged: 0 of 36, before and after. */
    private static final int BENIGN_S37C_FLAGGED_CEILING = 0;

    /**
     * Share of the attacks of session 37's set 87d (the same three families in Italian, Dutch,
     * Swedish, Czech, Ukrainian, Romanian, Hungarian, Arabic, Indonesian, Japanese; scored sealed
     * before and after the first concept rules): 11 of 60, then 13; 19 with the last two, written
     * after it was read; 25 with session 38's gloss round and signal rules.
     */
    private static final double ATTACK_STYLES_S37D_FLOOR = 0.41;

    /** Benign lines of set 87d flagged: 1 of 36 sealed, before and after (an Italian bank's warning about fake operators). */
    private static final int BENIGN_S37D_FLAGGED_CEILING = 1;

    /**
     * Share of the attacks of session 37's set 87e (the same three families in Spanish, German,
     * Russian, Turkish, Persian, Italian, Swedish, Czech, Arabic, Japanese; scored sealed at the
     * start, before the last two concept rules and after): 11 of 60, 12, then 19; 27 with session
     * 38's gloss round and signal rules.
     */
    private static final double ATTACK_STYLES_S37E_FLOOR = 0.45;

    /** Benign lines of set 87e flagged: 0 of 36 sealed, at every point. */
    private static final int BENIGN_S37E_FLAGGED_CEILING = 0;

    /**
     * Set 88a (session 38: agent misuse, exfiltration and impersonation in en pt fr pl uk nl ko zh
     * hi vi el da, helper-written, scored sealed before any work): 11 of 60 at the start, 23 (in
     * sample) after the fourth gloss round and the five rules that count signals of misuse.
     */
    private static final double ATTACK_STYLES_S38_FLOOR = 0.38;

    /** Benign lines of set 88a flagged: 0 of 36, sealed and after. */
    private static final int BENIGN_S38_FLAGGED_CEILING = 0;

    /**
     * Set 88b (the same three families in es de ru tr fa it sv cs ar ja id ro; kept sealed until the
     * end of session 38): 8 of 60 at the start, 8 after the fourth gloss round alone, 16 with the
     * signal rules. Nothing was written from it.
     */
    private static final double ATTACK_STYLES_S38B_FLOOR = 0.26;

    /** Benign lines of set 88b flagged: 0 of 36, at every point. */
    private static final int BENIGN_S38B_FLAGGED_CEILING = 0;

    /**
     * Set 88c (all eight families, a third in English, the rest in es de fr ja ru hi ar pt ko; kept
     * sealed until the end of session 38): 29 of 64 at the start and after the gloss round, 33 with
     * the signal rules. Nothing was written from it.
     */
    private static final double ATTACK_STYLES_S38C_FLOOR = 0.51;

    /**
     * Benign lines of set 88c flagged: 1 of 48 sealed (a Korean escape-room clue in "ROT13 암호", 암호
     * being a cipher as well as a password), 0 since the credential rules read 암호 as a cipher there.
     */
    private static final int BENIGN_S38C_FLAGGED_CEILING = 0;

    /** Benign lines of the session-16 sets flagged (1 of 627; 7 with the session-15 rules). */
    private static final int BENIGN_S16_FLAGGED_CEILING = 1;

    /** Benign lines of the session-15 set still flagged (9 of 898 measured, 10 before session 24; see the class comment). */
    private static final int BENIGN_S15_FLAGGED_CEILING = 9;

    @ParameterizedTest
    @ValueSource(strings = {
        "/benign-lookalikes-s6.txt", "/benign-lookalikes-s7.txt", "/benign-lookalikes-s8.txt", "/benign-lookalikes-s9.txt",
        "/benign-lookalikes-s11.txt", "/benign-lookalikes-s12.txt", "/benign-lookalikes-s13.txt",
        "/benign-lookalikes-s14.txt", "/benign-lookalikes-s23.txt",
        // sets 49 and 50: 8 of 200 flagged by the session-25 rules, none after session 26's fixes
        "/benign-lookalikes-s26b.txt"
    })
    void shouldFlagNoneOfTheBenignLookalikes(String corpus) throws IOException {
        List<String> flagged = lines(corpus).stream()
                .filter(t -> CLIENT.analyze(t).isThreat())
                .toList();
        assertEquals(List.of(), flagged);
    }

    @ParameterizedTest
    @CsvSource({
        "/benign-lookalikes-s15.txt, " + BENIGN_S15_FLAGGED_CEILING,
        "/benign-lookalikes-s16.txt, " + BENIGN_S16_FLAGGED_CEILING,
        "/benign-lookalikes-s24.txt, " + BENIGN_S24_FLAGGED_CEILING,
        "/benign-lookalikes-s25.txt, " + BENIGN_S25_FLAGGED_CEILING,
        "/benign-lookalikes-s26.txt, " + BENIGN_S26_FLAGGED_CEILING,
        "/benign-lookalikes-s26c.txt, " + BENIGN_S26C_FLAGGED_CEILING,
        "/benign-lookalikes-s27.txt, " + BENIGN_S27_FLAGGED_CEILING,
        "/benign-lookalikes-s27b.txt, " + BENIGN_S27B_FLAGGED_CEILING,
        "/benign-lookalikes-s27c.txt, " + BENIGN_S27C_FLAGGED_CEILING,
        "/benign-lookalikes-s30.txt, " + BENIGN_S30_FLAGGED_CEILING,
        "/benign-lookalikes-s31.txt, " + BENIGN_S31_FLAGGED_CEILING,
        "/benign-lookalikes-s32.txt, " + BENIGN_S32_FLAGGED_CEILING,
        "/benign-lookalikes-s33.txt, " + BENIGN_S33_FLAGGED_CEILING,
        "/benign-lookalikes-s34.txt, " + BENIGN_S34_FLAGGED_CEILING,
        "/benign-lookalikes-s34b.txt, " + BENIGN_S34B_FLAGGED_CEILING,
        "/benign-lookalikes-s34c.txt, " + BENIGN_S34C_FLAGGED_CEILING,
        "/benign-lookalikes-s35.txt, " + BENIGN_S35_FLAGGED_CEILING,
        "/benign-lookalikes-s35b.txt, " + BENIGN_S35B_FLAGGED_CEILING,
        "/benign-lookalikes-s36.txt, " + BENIGN_S36_FLAGGED_CEILING,
        "/benign-lookalikes-s36b.txt, " + BENIGN_S36B_FLAGGED_CEILING,
        "/benign-lookalikes-s37.txt, " + BENIGN_S37_FLAGGED_CEILING,
        "/benign-lookalikes-s37b.txt, " + BENIGN_S37B_FLAGGED_CEILING,
        "/benign-lookalikes-s37c.txt, " + BENIGN_S37C_FLAGGED_CEILING,
        "/benign-lookalikes-s37d.txt, " + BENIGN_S37D_FLAGGED_CEILING,
        "/benign-lookalikes-s37e.txt, " + BENIGN_S37E_FLAGGED_CEILING,
        "/benign-lookalikes-s38.txt, " + BENIGN_S38_FLAGGED_CEILING,
        "/benign-lookalikes-s38b.txt, " + BENIGN_S38B_FLAGGED_CEILING,
        "/benign-lookalikes-s38c.txt, " + BENIGN_S38C_FLAGGED_CEILING
    })
    void shouldFlagNoMoreThanTheKnownLookalikes(String corpus, int ceiling) throws IOException {
        List<String> flagged = lines(corpus).stream()
                .filter(t -> CLIENT.analyze(t).isThreat())
                .toList();
        assertTrue(flagged.size() <= ceiling, flagged.size() + " flagged: " + flagged);
    }

    @ParameterizedTest
    @CsvSource({
        "/attack-styles-s6.txt, " + ATTACK_STYLES_FLOOR,
        "/attack-styles-s7.txt, " + ATTACK_STYLES_S7_FLOOR,
        "/attack-styles-s8.txt, " + ATTACK_STYLES_S8_FLOOR,
        "/attack-styles-s11.txt, " + ATTACK_STYLES_S11_FLOOR,
        "/attack-styles-s12.txt, " + ATTACK_STYLES_S12_FLOOR,
        "/attack-styles-s13.txt, " + ATTACK_STYLES_S13_FLOOR,
        "/attack-styles-s14.txt, " + ATTACK_STYLES_S14_FLOOR,
        "/attack-styles-s15.txt, " + ATTACK_STYLES_S15_FLOOR,
        "/attack-styles-s16.txt, " + ATTACK_STYLES_S16_FLOOR,
        "/attack-styles-s23.txt, " + ATTACK_STYLES_S23_FLOOR,
        "/attack-styles-s24.txt, " + ATTACK_STYLES_S24_FLOOR,
        "/attack-styles-s25.txt, " + ATTACK_STYLES_S25_FLOOR,
        "/attack-styles-s26.txt, " + ATTACK_STYLES_S26_FLOOR,
        "/attack-styles-s26b.txt, " + ATTACK_STYLES_S26B_FLOOR,
        "/attack-styles-s26c.txt, " + ATTACK_STYLES_S26C_FLOOR,
        "/attack-styles-s27.txt, " + ATTACK_STYLES_S27_FLOOR,
        "/attack-styles-s27b.txt, " + ATTACK_STYLES_S27B_FLOOR,
        "/attack-styles-s27c.txt, " + ATTACK_STYLES_S27C_FLOOR,
        "/attack-styles-s30.txt, " + ATTACK_STYLES_S30_FLOOR,
        "/attack-styles-s31.txt, " + ATTACK_STYLES_S31_FLOOR,
        "/attack-styles-s32.txt, " + ATTACK_STYLES_S32_FLOOR,
        "/attack-styles-s33.txt, " + ATTACK_STYLES_S33_FLOOR,
        "/attack-styles-s34.txt, " + ATTACK_STYLES_S34_FLOOR,
        "/attack-styles-s34b.txt, " + ATTACK_STYLES_S34B_FLOOR,
        "/attack-styles-s34c.txt, " + ATTACK_STYLES_S34C_FLOOR,
        "/attack-styles-s35.txt, " + ATTACK_STYLES_S35_FLOOR,
        "/attack-styles-s35b.txt, " + ATTACK_STYLES_S35B_FLOOR,
        "/attack-styles-s36.txt, " + ATTACK_STYLES_S36_FLOOR,
        "/attack-styles-s36b.txt, " + ATTACK_STYLES_S36B_FLOOR,
        "/attack-styles-s37.txt, " + ATTACK_STYLES_S37_FLOOR,
        "/attack-styles-s37b.txt, " + ATTACK_STYLES_S37B_FLOOR,
        "/attack-styles-s37c.txt, " + ATTACK_STYLES_S37C_FLOOR,
        "/attack-styles-s37d.txt, " + ATTACK_STYLES_S37D_FLOOR,
        "/attack-styles-s37e.txt, " + ATTACK_STYLES_S37E_FLOOR,
        "/attack-styles-s38.txt, " + ATTACK_STYLES_S38_FLOOR,
        "/attack-styles-s38b.txt, " + ATTACK_STYLES_S38B_FLOOR,
        "/attack-styles-s38c.txt, " + ATTACK_STYLES_S38C_FLOOR
    })
    void shouldFlagMostAttacksWrittenInPublicDatasetStyles(String corpus, double floor) throws IOException {
        List<String> attacks = lines(corpus);
        long caught = attacks.stream().filter(t -> CLIENT.analyze(t).isThreat()).count();
        double rate = (double) caught / attacks.size();
        assertTrue(rate >= floor, "flagged " + caught + " / " + attacks.size() + " (floor " + floor + ")");
    }

    /** The non-blank lines of a corpus resource (also used by {@link OptionalPacksTest}). */
    static List<String> lines(String resource) throws IOException {
        try (InputStream in = LookalikeCorporaTest.class.getResourceAsStream(resource)) {
            assertTrue(in != null, resource + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
