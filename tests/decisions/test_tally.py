"""The tally of every method against an independent count (pandas or a plain dict), on
examples that include ties, blocks and vetoes, and on random ballots (hypothesis)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backbone.decisions import tally as t

pytestmark = pytest.mark.unit

CONSENT = ["no_objection", "objection"]
CONSENSUS = ["agree", "abstain", "disagree", "block"]
OPTIONS = ["Tuesday", "Wednesday", "Thursday"]


def counts(answers, keys) -> dict:
    series = pd.Series(list(answers), dtype="object")
    found = series.value_counts().to_dict() if len(series) else {}
    return {str(k): int(found.get(k, 0)) for k in keys}


def expected_consent(answers) -> str:
    if not answers:
        return "not_adopted"
    return "not_adopted" if "objection" in answers else "adopted"


def expected_consensus(answers) -> str:
    c = counts(answers, CONSENSUS)
    if c["block"]:
        return "blocked"
    return "adopted" if c["agree"] > c["disagree"] else "not_adopted"


def expected_gradient(levels) -> tuple[str, float | None]:
    if not levels:
        return "not_adopted", None
    frame = pd.DataFrame({"level": levels})
    mean = float(frame["level"].mean())
    if (frame["level"] == 1).any():
        return "blocked", mean
    return ("adopted" if mean >= 3 else "not_adopted"), mean


def expected_poll(picks) -> tuple[str, list[str]]:
    if not picks:
        return "not_adopted", []
    c = counts(picks, OPTIONS)
    top = max(c.values())
    winners = [o for o in OPTIONS if c[o] == top]
    return ("chosen" if len(winners) == 1 else "tie"), winners


# --- examples ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "result"),
    [
        ([], "not_adopted"),
        (["no_objection"] * 5, "adopted"),
        (["no_objection"] * 9 + ["objection"], "not_adopted"),
    ],
)
def test_consent_one_objection_stops_it(answers, result):
    found = t.consent(answers)
    assert found.result == result == expected_consent(answers)
    assert found.count("objection") == answers.count("objection")


@pytest.mark.parametrize(
    ("answers", "result"),
    [
        (["agree"] * 10 + ["block"], "blocked"),
        (["agree", "agree", "disagree"], "adopted"),
        (["agree", "disagree"], "not_adopted"),  # a tie is not more agreement
        (["abstain"] * 3, "not_adopted"),
        (["agree"] + ["abstain"] * 8, "adopted"),
    ],
)
def test_consensus_any_block_blocks_else_more_agree_than_disagree(answers, result):
    assert t.consensus(answers).result == result == expected_consensus(answers)


@pytest.mark.parametrize(
    ("levels", "result"),
    [
        ([5, 5, 5, 1], "blocked"),
        ([3, 3], "adopted"),  # the mean at the midpoint passes
        ([4, 2], "adopted"),
        ([3, 2], "not_adopted"),
    ],
)
def test_gradient_veto_blocks_else_mean_at_least_midpoint(levels, result):
    found = t.gradient(levels)
    expected, mean = expected_gradient(levels)
    assert found.result == result == expected
    assert found.mean == pytest.approx(mean, abs=0.005)
    assert [r.count for r in found.rows] == [levels.count(k) for k in (5, 4, 3, 2, 1)]


def test_gradient_mean_exactly_at_midpoint_is_adopted_without_rounding():
    levels = [2, 2, 5]
    assert sum(levels) / len(levels) == 3
    assert t.gradient(levels).result == "adopted"
    just_under = [3] * 99 + [2]  # mean 2.99
    assert t.gradient(just_under).result == "not_adopted"


@pytest.mark.parametrize(
    ("picks", "result", "winners"),
    [
        (["Tuesday", "Tuesday", "Thursday"], "chosen", ["Tuesday"]),
        (["Tuesday", "Thursday"], "tie", ["Tuesday", "Thursday"]),
        (OPTIONS, "tie", OPTIONS),
        ([], "not_adopted", []),
    ],
)
def test_poll_most_votes_wins_and_ties_are_reported(picks, result, winners):
    found = t.poll(picks, OPTIONS)
    assert (found.result, found.winners) == (result, winners) == expected_poll(picks)


def test_poll_refuses_a_pick_that_is_not_an_option():
    with pytest.raises(ValueError, match="Not an option"):
        t.poll(["Friday"], OPTIONS)


def test_unknown_answers_are_refused():
    with pytest.raises(ValueError):
        t.consent(["agree"])
    with pytest.raises(ValueError):
        t.consensus(["objection"])
    with pytest.raises(ValueError):
        t.gradient([6])
    with pytest.raises(ValueError):
        t.tally("dice", [])


def test_tally_survives_its_json_snapshot():
    found = t.poll(["Tuesday", "Thursday"], OPTIONS)
    assert t.Tally.from_json(found.as_json()) == found


# --- properties --------------------------------------------------------------------------


@given(st.lists(st.sampled_from(CONSENT), max_size=40))
def test_consent_matches_an_independent_count(answers):
    found = t.consent(answers)
    assert found.result == expected_consent(answers)
    assert {r.key: r.count for r in found.rows} == counts(answers, CONSENT)
    assert found.total == len(answers)


@given(st.lists(st.sampled_from(CONSENSUS), max_size=40))
def test_consensus_matches_an_independent_count(answers):
    found = t.consensus(answers)
    assert found.result == expected_consensus(answers)
    assert {r.key: r.count for r in found.rows} == counts(answers, CONSENSUS)


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=40))
def test_gradient_matches_an_independent_count(levels):
    found = t.gradient(levels)
    result, mean = expected_gradient(levels)
    assert found.result == result
    assert found.mean == (None if mean is None else pytest.approx(mean, abs=0.005))
    assert {r.key: r.count for r in found.rows} == counts(levels, [5, 4, 3, 2, 1])


@given(st.lists(st.sampled_from(OPTIONS), max_size=40))
def test_poll_matches_an_independent_count(picks):
    found = t.poll(picks, OPTIONS)
    assert (found.result, found.winners) == expected_poll(picks)
    assert sum(r.count for r in found.rows) == len(picks)


@given(st.lists(st.sampled_from(CONSENSUS), min_size=1, max_size=20))
def test_consensus_one_more_block_always_blocks(answers):
    assert t.consensus([*answers, "block"]).result == "blocked"
