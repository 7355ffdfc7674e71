"""In an anonymous round nobody — a partner, the backbone, an evaluator — can tie an answer
to the person who gave it: not on any page, in any export or through the API, not by the
order answers are listed in, not by a small group, not by subtraction, and not by watching
results move as one person answers. And the stored rows hold nothing to join on."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import models
from django.utils import timezone

from backbone.assessments import services
from backbone.assessments.models import Respondent, Response
from backbone.initiatives.roles import Role

from .conftest import answers_for, crowd, open_round, residents

pytestmark = pytest.mark.integration

VIEWERS = ["staff", "evaluator", "steward_a", "steward_b", "member_a", "community", "funder"]
WORDS = ["zebra", "yellow", "xylophone", "walrus", "violet", "umbrella", "tulip", "saffron"]


@pytest.fixture
def anonymous_round(cast, initiative, questionnaires):
    """Eight people answer, each writing a marker; the only faith respondent answers all 1s.
    They answer in reverse alphabetical order of their markers, a minute apart."""
    initiative.small_number_threshold = 3
    initiative.save()
    people = crowd(initiative, sector="education", n=3)
    people += crowd(initiative, sector="nonprofit", n=2)
    people += crowd(initiative, sector="faith", n=1)
    people += residents(initiative, 2)
    found = open_round(
        initiative, questionnaires["conditions"], partners=[], results_shared=True, days_ago=2
    )
    start = timezone.now() - timedelta(hours=1)
    marked = {}
    for n, (person, word) in enumerate(zip(people, WORDS, strict=True)):
        value = 1 if person.name.endswith("faith") else 4 + n % 2
        answers = answers_for(found, value, activities_gaps=f"marker {word}")
        services.response_submit(
            round=found, person=person, answers=answers, now=start + timedelta(minutes=n)
        )
        marked[person] = f"marker {word}"
    return found, marked


def app_urls(found) -> list[str]:
    base = f"/i/riverton/assessments/rounds/{found.uuid}/"
    return [
        "/",
        "/i/riverton/assessments/",
        "/i/riverton/assessments/questionnaires/",
        "/i/riverton/assessments/questionnaires/conditions/",
        base,
        base + "answer/",
        base + "results/",
        base + "results.csv",
        base + "answers.csv",
        "/api/openapi.json",
        *api_urls(),
    ]


def api_urls() -> list[str]:
    """Every GET path of the API that needs nothing but the initiative's slug."""
    from backbone.api.urls import api

    schema = api.get_openapi_schema()
    out = []
    for path, operations in schema["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        if "get" in operations and set(names) <= {"slug"}:
            out.append(path.replace("{slug}", "riverton"))
    assert "/api/initiatives/riverton/partners" in out
    return out


def everything_seen(as_role, found) -> dict[tuple[str, str], str]:
    seen = {}
    for role in VIEWERS:
        client = as_role(role)
        for address in app_urls(found):
            response = client.get(address)
            if response.status_code == 200:
                seen[(role, address)] = response.content.decode()
    return seen


def identities(person) -> list[str]:
    return [person.name, person.email]


def test_no_page_export_or_api_response_holds_a_name_beside_an_answer(as_role, anonymous_round):
    found, marked = anonymous_round
    services.round_close(round=found)
    seen = everything_seen(as_role, found)
    results_pages = [k for k in seen if k[1].endswith("/results/")]
    assert len(results_pages) == len(VIEWERS)  # everyone reads the shared results
    assert len([k for k in seen if k[1].startswith("/api/")]) > len(VIEWERS)
    for (role, address), body in seen.items():
        markers = [m for m in marked.values() if m in body]
        names = [i for p in marked for i in identities(p) if i in body]
        assert not (markers and names), (role, address, markers, names)
    # the respondents' names appear nowhere at all, not even as who answered — but in the
    # list of the initiative's people, which names every member, whether they answered or not
    for (role, address), body in seen.items():
        if address.endswith(("/members", "/invitations")):
            continue
        assert not [i for p in marked for i in identities(p) if i in body], (role, address)


def test_answers_are_listed_in_no_order_that_follows_answering(as_role, anonymous_round):
    found, marked = anonymous_round
    services.round_close(round=found)
    body = as_role("staff").get(f"/i/riverton/assessments/rounds/{found.uuid}/results/").text
    listed = re.findall(r"marker (\w+)", body)
    answered_order = [m.split()[1] for m in marked.values()]
    assert listed == sorted(answered_order) and listed != answered_order


def test_the_lone_respondent_of_a_sector_cannot_be_read_or_worked_out(as_role, anonymous_round):
    found, _ = anonymous_round
    services.round_close(round=found)
    for role in VIEWERS:
        client = as_role(role)
        page = client.get(f"/i/riverton/assessments/rounds/{found.uuid}/results/").text
        assert "Faith <span" not in page  # never a column of its own
        rows = list(
            csv.DictReader(
                io.StringIO(
                    client.get(
                        f"/i/riverton/assessments/rounds/{found.uuid}/results.csv"
                    ).content.decode()
                )
            )
        )
        groups = {r["group"]: int(r["respondents"]) for r in rows}
        assert "Faith" not in groups
        # the attack: organisations minus the sectors shown leaves exactly one person?
        if "Organisations" in groups:
            sectors = sum(n for g, n in groups.items() if g in {"Education", "Non-profit"})
            assert groups["Organisations"] - sectors != 1
        # or: everyone minus community members minus the sectors shown?
        if "Community members" in groups:
            shown = sum(n for g, n in groups.items() if g in {"Education", "Non-profit"})
            assert groups["All respondents"] - groups["Community members"] - shown != 1


def test_results_do_not_move_while_people_answer(cast, as_role, anonymous_round):
    found, _ = anonymous_round
    address = f"/i/riverton/assessments/rounds/{found.uuid}/results/"
    before = as_role("staff").get(address).text
    services.response_submit(round=found, person=cast.steward_a, answers=answers_for(found, 1))
    after = as_role("staff").get(address).text
    for body in (before, after):
        assert "Elements, weakest first" not in body and "marker" not in body
        assert "The results appear when the round closes" in body
    assert as_role("staff").get(address + "../results.csv").status_code == 404


def test_the_backbone_sees_how_many_answered_not_who(as_role, anonymous_round):
    found, marked = anonymous_round
    page = as_role("staff").get(f"/i/riverton/assessments/rounds/{found.uuid}/").text
    assert "8 of 12 answered" in page
    assert "Who has answered" not in page
    assert not [i for p in marked for i in identities(p) if i in page]


def test_stored_responses_hold_nothing_to_join_on(anonymous_round):
    found, marked = anonymous_round
    fields = {f.name: f for f in Response._meta.get_fields()}
    assert isinstance(Response._meta.pk, models.UUIDField)
    assert Response._meta.ordering == ["id"]
    assert not [
        f for f in fields.values() if isinstance(f, models.DateField | models.DateTimeField)
    ]
    relations = {f.name: f.related_model for f in fields.values() if f.is_relation}
    assert Respondent not in relations.values()
    assert set(relations) == {"initiative", "round", "person"}
    assert not Response.objects.filter(round=found, person__isnull=False).exists()
    stored = list(Response.objects.filter(round=found).values_list("answers", flat=True))
    assert {a["activities_gaps"] for a in stored} == set(marked.values())


def test_a_round_that_is_not_anonymous_says_who_said_what(
    cast, as_role, initiative, questionnaires
):
    found = open_round(
        initiative, questionnaires["conditions"], roles=[Role.PARTNER_STEWARD], anonymous=False
    )
    services.response_submit(
        round=found,
        person=cast.steward_a,
        answers=answers_for(found, 2, activities_gaps="Evenings"),
    )
    assert Response.objects.get(round=found).person == cast.steward_a
    page = as_role("staff").get(f"/i/riverton/assessments/rounds/{found.uuid}/").text
    assert "Who has answered" in page and "Ada Steward" in page
    exported = (
        as_role("evaluator")
        .get(f"/i/riverton/assessments/rounds/{found.uuid}/answers.csv")
        .content.decode()
    )
    row = next(csv.DictReader(io.StringIO(exported)))
    assert (row["name"], row["organisation"], row["activities_gaps"]) == (
        "Ada Steward",
        "Riverton Public Library",
        "Evenings",
    )
