#!/bin/bash
# Prints the phrase blocks of the multilingual lexicon rules (sessions 28-31) from the lexicons, one block per
# rule field, exactly as they stand in rules/src/main/resources/io/threatmon/rules/*.yml (and the
# quoted_reported_* fragments of shared/fragments.yml).
#   scripts/lexicon/build.sh          print every block
#   scripts/lexicon/build.sh --check  fail if a printed line is missing from the rule packs
# After editing a lexicon or a drop list, paste the block over the old one and run
# `./threatmon rules test` and `./threatmon rules validate rules/src/main/resources/io/threatmon/rules`.
set -euo pipefail
cd "$(dirname "$0")"
RULES=../../rules/src/main/resources/io/threatmon/rules
block() {
  echo "# $1"
  shift
  python3 patterns.py "$@" 2>/dev/null
}
all() {
  block "ob.evade_the_filter_world patterns" jailbreak-frames.json C1 --drop-list evade-filter.droplist
  block "jb.stay_in_role_world patterns; jb.frame_with_harm_topic_world patterns" jailbreak-frames.json C2
  block "jb.persona_without_limits_world patterns; jb.frame_with_harm_topic_world patterns" \
    jailbreak-frames.json C3 --drop "$(cat never-refuses.drop)"
  block "jb.no_restrictions_hypothetical_world patterns; jb.frame_with_harm_topic_world patterns" \
    jailbreak-frames.json C4 --keep "$(cat no-restrictions.keep)"
  block "spe.given_setup_verbatim_world patterns" extraction-and-staff.json C5 --drop-list given-setup.droplist
  block "spe.given_setup_verbatim_world requires" extraction-and-staff.json C6
  block "se.staff_claim_with_approval_world requires" extraction-and-staff.json C7 --drop-list approval.droplist
  block "se.staff_claim_with_approval_world patterns; se.staff_claim_secret_ask_world patterns" extraction-and-staff.json C8
  block "jb.frame_with_harm_topic_world requires" harm-and-override.json C9 --drop '^(jaf|råna|rane|røve|обир|ugut|napad)$'
  block "jb.ignore_rules_world patterns; jb.frame_with_harm_topic_world patterns" harm-and-override.json C10
  block "jb.frame_with_harm_topic_world patterns" harm-and-override.json C11
  block "jb.now_unrestricted_world patterns" harm-and-override.json C11 --min-len 14 --drop-list now-unrestricted.droplist
  block "jb.frame_with_harm_topic_world requires; jb.roleplay_with_crime_world requires" crime-and-suppression.json C12
  block "jb.no_warnings_world patterns" crime-and-suppression.json C13
  block "spe.own_setup_disclosed_world patterns" asks.json C14 --drop-list own-setup.droplist
  block "se.staff_claim_secret_ask_world requires; de.send_secrets_out_world requires" asks.json C15
  block "de.send_secrets_out_world patterns" asks.json C16
  block "jb.roleplay_with_crime_world patterns" frames-and-howto.json C18
  block "spe.own_setup_disclosed_world requires" reveal.json C20 --drop-list reveal.droplist
  block "ea.action_hidden_world patterns" agent-actions.json C21
  block "ea.check_skipped_with_pretext_world patterns" agent-actions.json C22
  block "ea.check_skipped_with_pretext_world requires" agent-actions.json C23
  block "ea.check_skipped_with_pretext_world requires" extraction-and-staff.json C7 --drop-list approval.droplist
  block "ea.check_skipped_with_pretext_world requires" extraction-and-staff.json C8
  for c in C25 C26 C27 C28; do
    block "jb.pretext_frame_world patterns ($c)" pretext-frames.json "$c" --skip-langs en
  done
  block "jb.harmful_howto_world patterns" frames-and-howto.json C19
  block "pi.quoted_order_carried_out_world patterns" carry-out.json C30
  block "jb.bedtime_relative_world patterns" tactics-a.json C31
  block "jb.token_penalty_world patterns" tactics-a.json C32
  block "jb.opposite_day_world patterns" tactics-a.json C33
  block "jb.two_answers_unfiltered_world patterns" tactics-a.json C34 --keep "$(cat two-answers.keep)" \
    --drop 'jezelf|själv|itsenäsi'
  block "pi.fake_control_line_world patterns" tactics-b.json C36
  block "jb.refusal_suppressed_harm_world patterns; pi.fake_control_line_world requires" tactics-b.json C38
  echo "# shared/fragments.yml quoted_reported_1..3"
  python3 quote-cues.py reporting.json --drop-list reporting.droplist 2>/dev/null
}
if [ "${1:-}" = --check ]; then
  missing=$(all | grep -v '^#' | grep -Fxv -f <(cat "$RULES"/*.yml "$RULES"/shared/*.yml) || true)
  if [ -n "$missing" ]; then echo "not in the rule packs:"; echo "$missing"; exit 1; fi
  echo "OK: every lexicon block is in the rule packs"
else
  all
fi
