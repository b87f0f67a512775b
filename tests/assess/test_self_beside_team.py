"""A lead's self-ratings beside their team's, in their own view only.

Alice leads the team with Bob; Carol, Dan and Erin answer the four pinned statements
(Vision and the why and Care and trust, leading; Goals and priorities, managing; Workload,
about the team) with 2, 3 and 3: each area's level is 8/3, shown as 2.7, with a normal
variation of 1.96/sqrt(3) = 1.13, shown as 1.1. Alice rates every leading statement 5 and
every managing one 2 (`answers_by_pole`): she reads 5.0 on both leading areas (2.3 above
her team: a blind spot) and 2.0 on Goals and priorities (0.7 below: shown, not offered).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.bank import Bank
from bot.platform.outbox import OutboxMessage
from bot.pulse.blocks import ANSWER_PREFIX
from bot.summary.digests import DIGEST
from bot.summary.self_view_blocks import HEADING
from tests.support.assess_steps import answers_by_pole, take
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, Harness, text_of
from tests.support.pulse_steps import pinned_questions, pulse_dms, question_ids, set_up_team, tick
from tests.support.summary_steps import ADMIN, candidate_buttons, export_of, shown, summary_for

OPENS = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # Monday 10:00 London (GMT)
TEAM_SCORES = {CAROL: 2, DAN: 3, ERIN: 3}
GAP_REASON = "you rate yourself higher here than your team does"
OWN_WORDS = ("You beside your team", "rate yourself", "self-rating", "self-assessment")


def set_up(harness: Harness, bank: Bank) -> None:
    harness.workspace.add_user(ADMIN, "admin", is_admin=True)
    set_up_team(
        harness,
        ALICE,
        managers={"managers": [ALICE, BOB]},
        questions={"questions": pinned_questions(bank)},
        admins={"admins": ["admins_may_view"]},
    )


def run_round(harness: Harness, opens: datetime, scores: dict[str, int]) -> None:
    tick(harness, opens)
    for user, score in scores.items():
        for question in question_ids(pulse_dms(harness, user)[-1]):
            harness.slack.click(
                user, pulse_dms(harness, user)[-1], f"{ANSWER_PREFIX}{question}:{score}"
            )
    tick(harness, opens + timedelta(days=3, minutes=1))  # closes
    harness.wait_until_idle()


def names(bank: Bank, *ids: str) -> list[str]:
    return [bank.dimension_by_id[i].name for i in ids]


def leading_areas_in_bank_order(bank: Bank) -> list[str]:
    order = [d.id for d in bank.dimensions]
    return sorted(["direction", "trust"], key=order.index)


def own_section(message: dict) -> str | None:
    return next(
        (
            block["text"]["text"]
            for block in message["blocks"]
            if block["type"] == "section" and block["text"]["text"].startswith(HEADING)
        ),
        None,
    )


def sees_nothing_of_it(text: str) -> bool:
    return not any(word in text for word in (*OWN_WORDS, GAP_REASON))


def test_the_lead_sees_self_beside_team_and_the_widest_blind_spot_as_a_candidate(harness, bank):
    set_up(harness, bank)
    run_round(harness, OPENS, TEAM_SCORES)
    harness.services.now.set(OPENS + timedelta(days=4))
    bob_before = summary_for(harness, BOB)
    alice_before = summary_for(harness, ALICE)
    assert own_section(alice_before) is None and sees_nothing_of_it(text_of(alice_before))

    take(harness, ALICE, answers_by_pole(bank.assessment, leading=5, managing=2))
    summary = summary_for(harness, ALICE)

    first, second = leading_areas_in_bank_order(bank)
    (first_name, second_name), (goals,) = names(bank, first, second), names(bank, "goals")
    beyond = " (higher than your team, beyond normal variation)"
    assert own_section(summary) == "\n".join(
        [
            HEADING,
            f"• You rate yourself 5.0 on {first_name}; your team, 2.7{beyond}",
            f"• You rate yourself 5.0 on {second_name}; your team, 2.7{beyond}",
            f"• You rate yourself 2.0 on {goals}; your team, 2.7",  # below: no blind spot
        ]
    )
    # The widest blind spot (the first of the two equal ones) is offered, with its reason.
    buttons = candidate_buttons(summary)
    assert first in buttons
    line = next(
        b["text"]["text"]
        for b in summary["blocks"]
        if b.get("accessory", {}).get("action_id") == buttons[first]
    )
    assert f"{GAP_REASON} (5.0 against 2.7, beyond normal variation for a team of 3)" in line
    # Goals and priorities, rated below the team, is never offered for that reason.
    assert text_of(summary).count(GAP_REASON) == 1

    # Bob, who manages the team with her, sees what he saw before; so does the admin.
    bob_after = summary_for(harness, BOB)
    # (the practice each summary offers is drawn afresh: `shown` sets it aside)
    assert shown(bob_after["blocks"], bank) == shown(bob_before["blocks"], bank)
    assert sees_nothing_of_it(text_of(bob_after))
    assert sees_nothing_of_it(text_of(summary_for(harness, ADMIN)))
    # The CSV carries nothing of it: hers is Bob's, byte for byte.
    assert export_of(harness, ALICE) == export_of(harness, BOB)

    # She makes the blind spot the focus: Bob sees the focus and who chose it, not why.
    assert harness.slack.click(ALICE, summary, buttons[first]).status == 200
    harness.wait_for_text(ALICE, f"{first_name}* is now the focus")
    bob_sees = text_of(summary_for(harness, BOB))
    assert f"Focus: {first_name}" in bob_sees and f"Chosen by <@{ALICE}>" in bob_sees
    assert sees_nothing_of_it(bob_sees)
    assert sees_nothing_of_it(text_of(summary_for(harness, ADMIN)))

    # Her App Home shows the widest gap beside the team; Bob's shows none of it.
    alice_home = text_of(harness.open_home(ALICE))
    assert (
        f"the widest gap: You rate yourself 5.0 on {first_name}; your team, 2.7{beyond}"
        in alice_home
    )
    assert sees_nothing_of_it(text_of(harness.open_home(BOB)))


def test_below_the_threshold_the_areas_are_hidden_and_said_so(harness, bank):
    set_up(harness, bank)
    run_round(harness, OPENS, {CAROL: 2, DAN: 3})  # two of three: the threshold is 3
    take(harness, ALICE, answers_by_pole(bank.assessment, leading=5, managing=2))
    harness.services.now.set(OPENS + timedelta(days=4))
    summary = summary_for(harness, ALICE)
    # Direction, trust and goals were asked and she rated them; workload she did not rate.
    assert own_section(summary) == "\n".join(
        [
            HEADING,
            ":lock: 3 areas you rated are hidden beside your team until enough of them answer "
            "them, to keep their answers anonymous.",
        ]
    )
    assert "rate yourself" not in text_of(summary) and GAP_REASON not in text_of(summary)
    assert candidate_buttons(summary) == {}


def test_the_digest_of_the_next_close_sets_her_ratings_beside_the_team_for_her_alone(harness, bank):
    set_up(harness, bank)
    run_round(harness, OPENS, TEAM_SCORES)
    harness.services.now.set(OPENS + timedelta(days=4))
    take(harness, ALICE, answers_by_pole(bank.assessment, leading=5, managing=2))
    run_round(harness, OPENS + timedelta(weeks=1), TEAM_SCORES)

    def digest(user: str) -> dict:
        return harness.wait_for_text(user, "The pulse for")

    first, _ = leading_areas_in_bank_order(bank)
    (first_name,) = names(bank, first)
    # Two rounds of three: the level is still 2.7, its variation 1.96/sqrt(6) = 0.8.
    assert f"• You rate yourself 5.0 on {first_name}; your team, 2.7" in (
        own_section(digest(ALICE)) or ""
    )
    assert sees_nothing_of_it(text_of(digest(BOB)))

    # Beyond her own lines, hers is the digest Bob gets: the same focus and practice, the
    # comments in the same order.
    def blocks(user: str) -> list[dict]:  # Slack names blocks that came without a block_id
        return [{k: v for k, v in b.items() if k != "block_id"} for b in digest(user)["blocks"]]

    mine = [json.dumps(b) for b in blocks(ALICE) if b not in blocks(BOB)]
    assert len(mine) == 3 and HEADING in mine[0] and ":lock: Only you" in mine[1], mine
    assert GAP_REASON in mine[2]  # a focus candidate's reason, hers alone

    # Her digest's row forgets its text once sent (the self-ratings are hers alone); Bob's
    # team digest, which holds nothing of hers, is kept like any other digest.
    with harness.services.database.transaction() as session:
        rows = {
            row.dedupe_key.rsplit(":", 1)[-1]: (row.status, row.private, row.payload)
            for row in session.query(OutboxMessage)
            .filter(OutboxMessage.kind == DIGEST)
            .order_by(OutboxMessage.id)  # the later round last: its row is the one kept
        }
    status, private, payload = rows[ALICE]
    assert status == "sent" and private and "rate yourself" not in str(payload)
    assert rows[BOB][1] is False
