"""The answer form, the results page, the map's data and its filters, through HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backbone.communication.models import WorkingGroup
from backbone.initiatives import services as initiatives
from backbone.initiatives.roles import Role
from backbone.links import keyed
from backbone.network import services
from backbone.network.models import SCORE_ITEMS, Answer, Rating
from tests.pages import main_of

from .conftest import answer, open_wave, scores
from .test_measures import random_wave

pytestmark = pytest.mark.integration

BASE = "/i/riverton/network/"


@pytest.fixture
def many(cast):
    """The cast's two partners and 23 more: 25, like the demo."""
    extra = [
        initiatives.partner_add(
            initiative=cast.initiative,
            organisation=initiatives.organisation_create(
                name=f"Partner {n:02d}", sector=["health", "faith", "business"][n % 3]
            ),
        )
        for n in range(23)
    ]
    return [cast.partner_a, cast.partner_b, *extra]


def form_data(others, levels: dict, extra=None) -> dict:
    data = {"contributions": ["data", "staff"], "main_contribution": "data"}
    for p in others:
        slug = p.organisation.slug
        level = levels.get(p.pk, 0)
        data[f"{slug}__level"] = str(level)
        if level:
            for item, value in scores(p.pk).items():
                data[f"{slug}__{item}"] = str(value)
    return data | (extra or {})


def test_the_answer_form_has_one_row_per_other_partner(as_role, cast, many):
    wave = open_wave(cast.initiative)
    page = as_role("steward_a").get(BASE + f"waves/{wave.uuid}/answer/riverton-public-library/")
    assert page.status_code == 200
    assert page.text.count('class="answer-row') == 24
    assert (
        'Level<span class="visually-hidden"> of collaboration with Northside Food Bank' in page.text
    )
    assert "collaboration with Riverton Public Library" not in page.text
    # 24 partners × 7 questions, + the most important contribution
    assert main_of(page.text).count("<select") == 24 * 7 + 1


def test_a_steward_answers_through_the_form(as_role, cast, many):
    wave = open_wave(cast.initiative)
    others = many[1:]
    levels = {others[0].pk: 4, others[3].pk: 1, others[7].pk: 2}
    response = as_role("member_a").post(
        BASE + f"waves/{wave.uuid}/answer/riverton-public-library/", form_data(others, levels)
    )
    assert response.status_code == 302
    found = Answer.objects.get()
    assert (found.partner, found.answered_by) == (cast.partner_a, cast.member_a)
    stored = {r.rated_id: r for r in found.ratings.all()}
    assert len(stored) == 24
    assert {pk: r.level for pk, r in stored.items() if r.level} == levels
    assert [getattr(stored[others[0].pk], i) for i in SCORE_ITEMS] == list(
        scores(others[0].pk).values()
    )
    assert stored[others[1].pk].reliable is None

    again = as_role("steward_a").get(BASE + f"waves/{wave.uuid}/answer/riverton-public-library/")
    assert '<option value="4" selected>Collaboration</option>' in again.text
    assert "Last answered" in again.text and "Mo Member" in again.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"__reliable": "5"}, "Select a valid choice"),
        ({"__level": "7"}, "Select a valid choice"),
        ({"__resources": ""}, "give all six scores"),
    ],
)
def test_a_bad_form_saves_nothing_and_says_why(as_role, cast, many, change, message):
    wave = open_wave(cast.initiative)
    others = many[1:]
    data = form_data(others, {others[2].pk: 3})
    slug = others[2].organisation.slug
    data.update({slug + key: value for key, value in change.items()})
    response = as_role("steward_a").post(
        BASE + f"waves/{wave.uuid}/answer/riverton-public-library/", data
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Answer.objects.exists() and not Rating.objects.exists()


def test_scores_with_a_level_of_none_are_refused_by_the_form(as_role, cast, many):
    wave = open_wave(cast.initiative)
    others = many[1:]
    data = form_data(others, {}) | {f"{others[0].organisation.slug}__power": "2"}
    response = as_role("steward_a").post(
        BASE + f"waves/{wave.uuid}/answer/riverton-public-library/", data
    )
    assert "the level is none, so leave the trust and value scores empty" in response.text
    assert not Answer.objects.exists()


def test_an_answer_after_the_close_is_refused_by_the_page(as_role, cast, many):
    wave = open_wave(cast.initiative)
    url = BASE + f"waves/{wave.uuid}/answer/riverton-public-library/"
    others = many[1:]
    assert as_role("steward_a").post(url, form_data(others, {})).status_code == 302
    past = timezone.localdate() - timedelta(days=1)
    services.wave_update(
        wave=wave, name=wave.name, opens_on=past - timedelta(days=9), closes_on=past
    )
    response = as_role("steward_a").post(url, form_data(others, {others[0].pk: 2}))
    assert response.status_code == 200
    assert "answers are no longer taken" in response.text
    assert not Rating.objects.filter(level__gt=0).exists()
    closed = as_role("steward_a").get(url)
    assert (
        "answers are no longer taken" in closed.text
        and '<form method="post" class="answer"' not in closed.text
    )


def test_staff_open_a_wave_through_the_form(as_role, cast):
    response = as_role("staff").post(
        BASE + "waves/new/",
        {"name": "Spring 2027", "opens_on": "2027-03-01", "closes_on": "2027-02-01"},
    )
    assert "A wave cannot close before it opens." in response.text
    response = as_role("staff").post(
        BASE + "waves/new/",
        {"name": "Spring 2027", "opens_on": "2027-03-01", "closes_on": "2027-03-31"},
    )
    assert response.status_code == 302
    assert "Spring 2027" in as_role("staff").get(BASE).text


def test_the_map_data_filters_by_sector_and_level(as_role, cast):
    wave, partners = random_wave(cast, 21, chance=0.4)
    data = as_role("steward_b").get(BASE + f"waves/{wave.uuid}/map.json").json()
    assert len(data["nodes"]) == 24
    slugs = {p.pk: p.organisation.slug for p in partners}
    ties = Rating.objects.filter(wave=wave, level__gte=2)
    assert sorted((e["source"], e["target"]) for e in data["edges"]) == sorted(
        (slugs[r.rater_id], slugs[r.rated_id]) for r in ties
    )
    health = {p.organisation.slug for p in partners if p.organisation.sector == "health"}
    sub = (
        as_role("steward_b").get(BASE + f"waves/{wave.uuid}/map.json?sector=health&level=3").json()
    )
    assert {n["id"] for n in sub["nodes"]} == health
    expected = [
        (slugs[r.rater_id], slugs[r.rated_id], r.level)
        for r in Rating.objects.filter(wave=wave, level__gte=3)
        if slugs[r.rater_id] in health and slugs[r.rated_id] in health
    ]
    assert sorted((e["source"], e["target"], e["level"]) for e in sub["edges"]) == sorted(expected)
    assert all(e["level"] >= 3 for e in sub["edges"]) and expected
    lines = {n["id"]: n["lines"] for n in sub["nodes"]}
    for slug in health:
        assert lines[slug] == sum(slug in (a, b) for a, b, _ in expected)


@pytest.mark.parametrize(
    "language, status, described",
    [
        ("en", "Showing {nodes} partners and {edges} ratings", "degree"),
        ("fr", "Affichage de {nodes} partenaires et de {edges} évaluations", "degré"),
        ("es", "Se muestran {nodes} socios y {edges} valoraciones", "grado"),
    ],
)
def test_the_map_data_carries_its_sentences_in_the_readers_language(
    as_role, cast, language, status, described
):
    """The map's script writes what the server wrote: the status line and what a partner
    chosen on the map measures, in the reader's language and figures."""
    wave, _ = random_wave(cast, 23, size=6, chance=0.9)
    client = as_role("steward_b")
    client.cookies["django_language"] = language
    data = client.get(BASE + f"waves/{wave.uuid}/map.json").json()
    assert data["status"].startswith(
        status.format(nodes=len(data["nodes"]), edges=len(data["edges"]))
    )
    for node in data["nodes"]:
        assert node["description"].startswith(f"{node['label']} (")
        assert f" {described} " in node["description"]


def test_the_map_data_refuses_an_unknown_filter(as_role, cast):
    wave, _ = random_wave(cast, 22, size=4)
    for query in ("sector=astrology", "level=9", "group=not-a-group"):
        response = as_role("staff").get(BASE + f"waves/{wave.uuid}/map.json?{query}")
        assert response.status_code == 400, query


def test_a_working_group_is_a_sub_network(as_role, cast):
    wave, partners = random_wave(cast, 23, size=9, chance=0.5)
    steward = cast.steward_a
    grant = initiatives.membership_grant
    in_group = partners[:4]
    people = []
    for n, p in enumerate(in_group):
        person = type(steward).objects.create_user(email=f"p{n}@example.org", password="x" * 12)
        grant(
            initiative=cast.initiative,
            person=person,
            role=Role.PARTNER_MEMBER,
            organisation=p.organisation,
        )
        people.append(person)
    group = WorkingGroup.objects.create(initiative=cast.initiative, name="Readers", lead=people[0])
    group.members.set(people[1:], through_defaults=keyed(group))
    data = as_role("staff").get(BASE + f"waves/{wave.uuid}/map.json?group={group.uuid}").json()
    assert {n["id"] for n in data["nodes"]} == {p.organisation.slug for p in in_group}
    page = as_role("staff").get(BASE + f"waves/{wave.uuid}/?group={group.uuid}").text
    assert "The sub-network of members of Readers" in page

    group.is_private = True
    group.save()
    hidden = as_role("steward_b").get(BASE + f"waves/{wave.uuid}/map.json?group={group.uuid}")
    assert hidden.status_code == 400  # a private group is no choice for those outside it


@pytest.mark.parametrize("url", ["waves/{wave}/", "waves/{wave}/map/", "waves/{wave}/map.json", ""])
def test_pages_cost_the_same_queries_for_few_and_many_partners(as_role, cast, url):
    counts = []
    for seed, size in ((31, 5), (32, 15)):
        wave, partners = random_wave(cast, seed, size=size, chance=0.3)
        client = as_role("steward_a")
        target = BASE + url.format(wave=wave.uuid)
        client.get(target)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        counts.append(len(queries))
        wave.delete()  # the next wave has no previous one to compare with either
    assert counts[0] == counts[1]


def test_partners_see_their_waiting_answer_on_the_wave_list(as_role, cast):
    wave = open_wave(cast.initiative)
    page = as_role("member_a").get(BASE).text
    assert "Answer of Riverton Public Library to Spring wave" in page
    answer(wave, cast.partner_a, [cast.partner_a, cast.partner_b], {})
    assert "Revise the answer of Riverton Public Library" in as_role("member_a").get(BASE).text
    assert "Answer of" not in as_role("evaluator").get(BASE).text
