"""The demo's assessments, as its users see them."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from backbone.assessments.models import Respondent, Response, Round
from backbone.assessments.selectors import condition_scores, last_answer_by_organisation

pytestmark = pytest.mark.django_db


def signed_in(email: str) -> Client:
    from backbone.accounts.models import Person

    client = Client()
    client.force_login(Person.objects.get(email=email))
    return client


def csv_rows(client, found) -> list[dict]:
    body = client.get(f"/i/{found.initiative.slug}/assessments/rounds/{found.uuid}/results.csv")
    assert body.status_code == 200
    return list(csv.DictReader(io.StringIO(body.content.decode())))


def element_means(rows, group="All respondents") -> dict[str, float]:
    return {
        r["element_key"]: float(r["value"])
        for r in rows
        if r["group"] == group and r["measure"] == "mean" and not r["item_key"]
    }


def test_demo_assessments_tell_their_story(demo):
    initiative = demo
    rounds = list(Round.objects.filter(initiative=initiative).order_by("opens_on"))
    first, second, current = rounds
    assert [r.status() for r in rounds] == ["closed", "closed", "open"]
    assert first.questionnaire == second.questionnaire and first.questionnaire.slug == "conditions"
    assert 330 <= (second.opens_on - first.opens_on).days <= 400
    assert current.questionnaire.slug == "backbone-effectiveness"
    assert all(r.anonymous for r in rounds)
    assert not Response.objects.filter(person__isnull=False).exists()

    # a partner steward reads the shared results: shared measurement up, communication down
    priya = signed_in("priya.natarajan@riverton.example")
    new, old = csv_rows(priya, second), csv_rows(priya, first)
    change = {k: v - element_means(old)[k] for k, v in element_means(new).items()}
    assert change["conditions.shared_measurement"] >= 0.5
    assert change["conditions.continuous_communication"] <= -0.5

    # many sectors answered; the largest are shown, the smallest are not
    sectors = set(
        Response.objects.filter(round=second).exclude(sector="").values_list("sector", flat=True)
    )
    assert len(sectors) >= 8
    groups = {r["group"] for r in new}
    assert {"Education", "Non-profit", "Government", "Community members", "Organisations"} <= groups
    assert not groups & {"Faith", "Philanthropy", "Business"}

    # community members and organisations disagree most on the common agenda
    page = priya.get(f"/i/{initiative.slug}/assessments/rounds/{second.uuid}/results/").text
    community = page[page.index('id="community-table"') :]
    first_row = community[community.index("<tbody>") :].split("</tr>")[0]
    assert "Common agenda" in first_row and "<strong>-1." in first_row
    assert element_means(new, "Community members")["conditions.common_agenda"] < 3.0
    assert element_means(new, "Organisations")["conditions.common_agenda"] >= 4.0

    # the open round waits on Priya's home page, and staff see its response rate only
    assert "How the backbone is doing" in priya.get("/").text
    maya = signed_in("maya.okafor@riverton.example")
    progress = maya.get(f"/i/{initiative.slug}/assessments/rounds/{current.uuid}/").text
    answered = Respondent.objects.filter(round=current, answered_at__isnull=False).count()
    invited = Respondent.objects.filter(round=current).count()
    assert f"{answered} of {invited} answered" in progress and 0 < answered < invited
    results = maya.get(f"/i/{initiative.slug}/assessments/rounds/{current.uuid}/results/").text
    assert "The results appear when the round closes" in results

    scores = condition_scores(initiative)
    assert scores["shared_measurement"] == pytest.approx(
        element_means(new)["conditions.shared_measurement"], abs=0.05
    )
    assert len(last_answer_by_organisation(initiative)) >= 20
