"""What other apps and the home page read: condition scores, participation by organisation,
and the surveys waiting for a person."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from django.utils import timezone

from backbone.assessments import services
from backbone.assessments.models import Respondent, Response
from backbone.assessments.selectors import (
    condition_scores,
    last_answer_by_organisation,
    waiting_for,
)
from backbone.initiatives.roles import Role

from .conftest import answers_for, open_round

pytestmark = pytest.mark.integration

CONDITIONS = [
    "common_agenda",
    "shared_measurement",
    "mutually_reinforcing_activities",
    "continuous_communication",
    "backbone_support",
]


def closed_round(cast, initiative, questionnaire, values):
    found = open_round(initiative, questionnaire)
    for person, value in zip((cast.steward_a, cast.member_a, cast.steward_b), values, strict=True):
        services.response_submit(round=found, person=person, answers=answers_for(found, value))
    services.round_close(round=found)
    return found


def element_means(found) -> dict[str, float]:
    items = pd.DataFrame(found.questionnaire_data["items"])
    scale = items[items["type"] == "scale"].set_index("key")["element"]
    rows = [
        {"element": scale[k].split(".")[1], "value": v}
        for answers in Response.objects.filter(round=found).values_list("answers", flat=True)
        for k, v in answers.items()
        if k in scale
    ]
    return pd.DataFrame(rows).groupby("element")["value"].mean().to_dict()


def test_condition_scores_are_none_without_a_closed_round(cast, initiative, questionnaires):
    assert condition_scores(initiative) == dict.fromkeys(CONDITIONS)
    open_round(initiative, questionnaires["conditions"])
    assert condition_scores(initiative) == dict.fromkeys(CONDITIONS)


def test_condition_scores_come_from_the_latest_closed_conditions_round(
    cast, initiative, questionnaires
):
    closed_round(cast, initiative, questionnaires["conditions"], [1, 2, 2])
    latest = closed_round(cast, initiative, questionnaires["conditions"], [5, 4, 2])
    closed_round(cast, initiative, questionnaires["backbone-effectiveness"], [1, 1, 1])

    scores = condition_scores(initiative)

    expected = element_means(latest)
    assert set(scores) == set(CONDITIONS)
    assert scores == pytest.approx(expected)
    assert scores["common_agenda"] == pytest.approx(11 / 3)


def test_condition_scores_hide_a_round_with_too_few_respondents(cast, initiative, questionnaires):
    closed_round(cast, initiative, questionnaires["conditions"], [5, 4, 2])
    initiative.small_number_threshold = 4
    initiative.save()
    assert condition_scores(initiative) == dict.fromkeys(CONDITIONS)


def test_last_answer_by_organisation_reads_who_answered(cast, initiative, questionnaires):
    first = open_round(initiative, questionnaires["conditions"], days_ago=30)
    second = open_round(initiative, questionnaires["readiness"], days_ago=3)
    early = timezone.now() - timedelta(days=20)
    late = timezone.now() - timedelta(days=1)
    services.response_submit(
        round=first, person=cast.steward_a, answers=answers_for(first), now=early
    )
    services.response_submit(
        round=second, person=cast.member_a, answers=answers_for(second), now=late
    )
    services.response_submit(
        round=first, person=cast.steward_b, answers=answers_for(first), now=early
    )
    services.response_submit(
        round=first, person=cast.community, answers=answers_for(first), now=late
    )

    found = last_answer_by_organisation(initiative)

    assert found == {cast.org_a.pk: late, cast.org_b.pk: early}
    assert (
        len(found)
        == Respondent.objects.filter(answered_at__isnull=False, organisation__isnull=False)
        .values("organisation")
        .distinct()
        .count()
    )


def test_waiting_surveys_on_the_home_page(cast, initiative, questionnaires, as_role):
    found = open_round(initiative, questionnaires["readiness"], roles=[Role.PARTNER_STEWARD])
    open_round(initiative, questionnaires["principles"], days_ago=-2)  # opens in two days
    assert [r.round for r in waiting_for(cast.steward_a)] == [found]
    home = as_role("steward_a").get("/").text
    assert "Surveys waiting for your answers" in home
    assert f"/i/riverton/assessments/rounds/{found.uuid}/answer/" in home
    assert "Surveys waiting" not in as_role("community").get("/").text

    services.response_submit(round=found, person=cast.steward_a, answers=answers_for(found))
    assert waiting_for(cast.steward_a) == []
    assert "Surveys waiting" not in as_role("steward_a").get("/").text


def test_closed_round_waits_for_nobody(cast, initiative, questionnaires):
    found = open_round(initiative, questionnaires["readiness"])
    services.round_close(round=found)
    assert waiting_for(cast.steward_a) == []
