"""The initiative's navigation offers the pages a person may open, grouped by area."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backbone.web.navigation import AREAS, navigation
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

OUTSIDERS = {"anonymous", "public", "other_staff"}


@pytest.mark.parametrize("role", sorted(set(ROLES) - OUTSIDERS))
def test_every_page_offered_answers_200_and_every_page_held_back_would_not(cast, as_role, role):
    client = as_role(role)
    person = cast.person(role)
    offered = set()
    for area in AREAS:
        nav = navigation(person, cast.initiative, area.pages[0].section)
        offered |= {link.href for link in nav.pages} | {link.href for link in nav.areas}
    for area in AREAS:
        for page in area.pages:
            href = reverse(page.url_name, args=["riverton"])
            status = client.get(href).status_code
            # A page may send its reader on to their own part of it (302).
            assert (status in (200, 302)) == (href in offered), (role, page.label, status)


def test_the_current_area_lists_its_pages_and_marks_the_current_one(cast):
    nav = navigation(cast.staff, cast.initiative, "completeness")
    assert [a.label for a in nav.areas if a.current] == ["Results"]
    assert [p.label for p in nav.pages] == [
        "Scorecard",
        "Measurement",
        "Reporting",
        "Submissions",
        "Completeness",
        "Reports",
        "DHIS2 exchange",
    ]
    assert [p.label for p in nav.pages if p.current] == ["Completeness"]


def test_an_area_of_one_page_needs_no_second_row(cast):
    assert navigation(cast.staff, cast.initiative, "overview").pages == []


def test_a_community_member_is_not_offered_completeness(cast, as_role):
    html = as_role("community").get("/i/riverton/scorecard/").content.decode()
    assert 'class="subnav-pages"' in html
    assert "Completeness" not in html
