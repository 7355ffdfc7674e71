"""Who may open waves, answer, and read the network's figures, map and ratings, role by role,
on every page and endpoint."""

from __future__ import annotations

import pytest

from backbone.initiatives import services as initiatives
from backbone.network.models import Answer, Wave
from tests.conftest import ROLES

from .conftest import answer, open_wave

pytestmark = pytest.mark.integration

BASE = "/i/riverton/network/"
OUTSIDERS = {"anonymous", "public", "other_staff"}
MEMBERS = set(ROLES) - OUTSIDERS
PARTNER_VIEW = {"staff", "evaluator", "steward_a", "steward_b", "member_a"}
READ_ALL = {"staff", "evaluator"}
A_PEOPLE = {"steward_a", "member_a"}


def expected(role, allowed):
    if role in OUTSIDERS:
        return 404
    return 200 if role in allowed else 403


@pytest.fixture
def wave(cast):
    found = open_wave(cast.initiative)
    answer(found, cast.partner_b, [cast.partner_a, cast.partner_b], {cast.partner_a.pk: 3})
    found.refresh_from_db()
    return found


PAGES = [
    ("", MEMBERS),
    ("waves/{wave}/", MEMBERS),
    ("waves/new/", {"staff"}),
    ("waves/{wave}/edit/", {"staff"}),
    ("waves/{wave}/map/", PARTNER_VIEW),
    ("waves/{wave}/map.json", PARTNER_VIEW),
    ("waves/{wave}/map.json?sector=education&level=1", PARTNER_VIEW),
    ("waves/{wave}/ratings.csv", READ_ALL),
    ("waves/{wave}/answer/riverton-public-library/", A_PEOPLE),
    ("waves/{wave}/answer/northside-food-bank/", {"steward_b"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("page", "allowed"), PAGES, ids=[p for p, _ in PAGES])
def test_every_network_page_by_role(as_role, wave, role, page, allowed):
    response = as_role(role).get(BASE + page.format(wave=wave.uuid))
    assert response.status_code == expected(role, allowed)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_backbone_opens_a_wave(as_role, cast, role):
    response = as_role(role).post(
        BASE + "waves/new/",
        {"name": "Autumn", "opens_on": "2030-01-01", "closes_on": "2030-01-31"},
    )
    assert response.status_code == (302 if role == "staff" else expected(role, set()))
    assert Wave.objects.filter(name="Autumn").exists() == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_backbone_edits_a_wave(as_role, wave, role):
    response = as_role(role).post(
        BASE + f"waves/{wave.uuid}/edit/",
        {"name": "Renamed", "opens_on": wave.opens_on, "closes_on": wave.closes_on},
    )
    assert response.status_code == (302 if role == "staff" else expected(role, set()))
    assert Wave.objects.get().name == ("Renamed" if role == "staff" else "Spring wave")


@pytest.mark.parametrize("role", ROLES)
def test_only_a_partners_own_people_answer_for_it(as_role, cast, wave, role):
    response = as_role(role).post(
        BASE + f"waves/{wave.uuid}/answer/riverton-public-library/",
        {
            "northside-food-bank__level": "2",
            **{
                f"northside-food-bank__{item}": "3"
                for item in (
                    "reliable",
                    "supports_mission",
                    "open_to_discussion",
                    "power",
                    "involvement",
                    "resources",
                )
            },
        },
    )
    assert response.status_code == (302 if role in A_PEOPLE else expected(role, set()))
    assert Answer.objects.filter(partner=cast.partner_a).exists() == (role in A_PEOPLE)


@pytest.mark.parametrize("role", sorted(MEMBERS))
def test_results_show_each_role_what_it_may_see(as_role, wave, role):
    page = as_role(role).get(BASE + f"waves/{wave.uuid}/").text
    assert "The whole network" in page and "Density" in page
    assert ("Partner by partner" in page) == (role in PARTNER_VIEW)
    assert ("Ties by sector" in page) == (role in PARTNER_VIEW)
    assert ("Network map" in page) == (role in PARTNER_VIEW)
    assert ("Ratings (CSV)" in page) == (role in READ_ALL)
    assert ("Open a wave" in as_role(role).get(BASE).text) == (role == "staff")


def test_funders_get_whole_network_figures_without_sub_networks(as_role, wave):
    page = as_role("funder").get(BASE + f"waves/{wave.uuid}/?sector=education").text
    assert "The whole network" in page and "sub-network" not in page


def test_a_wave_of_another_initiative_is_not_found(as_role, cast):
    org = initiatives.organisation_create(name="Lakeside Clinic", sector="health")
    other_org = initiatives.organisation_create(name="Lakeside School", sector="education")
    partners = [
        initiatives.partner_add(initiative=cast.other_initiative, organisation=o)
        for o in (org, other_org)
    ]
    theirs = open_wave(cast.other_initiative, partners=partners)
    for page in ("", "map/", "map.json", "ratings.csv", "answer/lakeside-clinic/"):
        assert as_role("staff").get(BASE + f"waves/{theirs.uuid}/{page}").status_code == 404


def test_answering_for_an_organisation_outside_the_wave_is_not_found(as_role, wave):
    url = BASE + f"waves/{wave.uuid}/answer/no-such-organisation/"
    assert as_role("steward_a").get(url).status_code == 404


def test_the_ratings_file_holds_every_rating(as_role, wave):
    response = as_role("evaluator").get(BASE + f"waves/{wave.uuid}/ratings.csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("rater,rated,level,level_name,reliable")
    assert lines[1].startswith("Northside Food Bank,Riverton Public Library,3,Coordination,")
    assert len(lines) == 2
