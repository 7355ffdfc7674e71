"""Decision seats: the share held by community members per body, overall and among leads,
recomputed in SQL from the seat, working-group and membership rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from backbone.communication.models import WorkingGroup
from backbone.initiatives import services as initiatives
from backbone.initiatives.roles import Role
from backbone.links import keyed
from backbone.powermap import selectors
from backbone.powermap.models import Seat
from tests.conftest import make_person

from .conftest import make_body, make_seat

pytestmark = pytest.mark.integration

TODAY = date(2025, 6, 1)


@pytest.fixture
def seated(cast):
    i = cast.initiative
    committee = make_body(i, "Steering committee")
    make_seat(
        committee, person=cast.steward_a, organisation=cast.org_a, is_chair=True, title="Chair"
    )
    make_seat(committee, organisation=cast.org_b)
    make_seat(committee, person=cast.community, title="Resident member")  # by role
    lay = make_person("lay@example.org", "Lee Lay")
    initiatives.membership_grant(initiative=i, person=lay, role=Role.FUNDER)
    make_seat(committee, person=lay, community_member=True)  # marked by the backbone
    make_seat(committee, person=cast.member_a, since=date(2023, 1, 1), until=date(2024, 12, 31))
    make_seat(committee, person=cast.evaluator, since=TODAY + timedelta(days=1))
    advisory = make_body(i, "Community advisory council", kind="advisory")
    make_seat(advisory, person=cast.community, is_chair=True)
    open_group = WorkingGroup.objects.create(initiative=i, name="Reading team", lead=cast.community)
    open_group.members.set(
        [cast.community, cast.steward_a, cast.member_a], through_defaults=keyed(open_group)
    )
    private = WorkingGroup.objects.create(
        initiative=i, name="Data sharing", lead=cast.steward_b, is_private=True
    )
    private.members.set([cast.steward_b, cast.staff], through_defaults=keyed(private))
    WorkingGroup.objects.create(
        initiative=cast.other_initiative, name="Theirs", lead=cast.other_staff
    )
    return cast


def _sql(query: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


COMMUNITY = "SELECT person_id FROM initiatives_membership WHERE initiative_id = %s AND role = %s"


def _governance_sql(initiative_id) -> dict[str, tuple[int, int, int, int]]:
    """body → (seats, community seats, lead seats, community lead seats), today."""
    rows = _sql(
        f"""
        SELECT b.name, COUNT(*),
               SUM(CASE WHEN s.community_member OR s.person_id IN ({COMMUNITY}) THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.is_chair THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.is_chair AND (s.community_member OR s.person_id IN ({COMMUNITY}))
                   THEN 1 ELSE 0 END)
        FROM powermap_seat s JOIN powermap_body b ON b.id = s.body_id
        WHERE b.initiative_id = %s AND s.since <= %s AND (s.until IS NULL OR s.until >= %s)
        GROUP BY b.name
        """,
        [initiative_id, "community_member"] * 2 + [initiative_id, TODAY, TODAY],
    )
    return {name: (n, c, lead, cl) for name, n, c, lead, cl in rows}


def _groups_sql(initiative_id, visible: list[str]) -> dict[str, tuple[int, int, int, int]]:
    rows = _sql(
        f"""
        SELECT g.name, x.person_id, CASE WHEN x.person_id = g.lead_id THEN 1 ELSE 0 END,
               CASE WHEN x.person_id IN ({COMMUNITY}) THEN 1 ELSE 0 END
        FROM communication_workinggroup g
        JOIN (SELECT id AS group_id, lead_id AS person_id FROM communication_workinggroup
              UNION
              SELECT workinggroup_id, person_id FROM communication_workinggroup_members) x
          ON x.group_id = g.id
        WHERE g.initiative_id = %s
        """,
        [initiative_id, "community_member", initiative_id],
    )
    out: dict[str, list[int]] = {}
    for name, _, lead, community in rows:
        if name in visible:
            t = out.setdefault(name, [0, 0, 0, 0])
            t[0] += 1
            t[1] += community
            t[2] += lead
            t[3] += lead and community
    return {k: tuple(v) for k, v in out.items()}


def _as_table(found) -> dict[str, tuple[int, int, int, int]]:
    return {b.name: (b.total, b.community, b.leads, b.community_leads) for b in found.bodies}


def test_shares_per_body_and_overall_match_the_rows(seated):
    cast = seated
    found = selectors.decision_seats(initiative=cast.initiative, person=cast.staff, today=TODAY)
    expected = _governance_sql(cast.initiative.pk) | _groups_sql(
        cast.initiative.pk, ["Reading team", "Data sharing"]
    )
    assert _as_table(found) == expected
    assert expected["Steering committee"] == (4, 2, 1, 0)  # the figures read as the rows say
    totals = [sum(v[k] for v in expected.values()) for k in range(4)]
    assert (found.total, found.community, found.leads, found.community_leads) == tuple(totals)
    assert found.community_percent == round(100 * totals[1] / totals[0])
    assert found.community_leads_percent == round(100 * totals[3] / totals[2])


def test_seats_not_held_today_are_listed_apart(seated):
    found = selectors.decision_seats(initiative=seated.initiative, person=seated.staff, today=TODAY)
    committee = next(b for b in found.bodies if b.name == "Steering committee")
    assert sorted(r.holder for r in committee.not_held) == ["Eve Evaluator", "Mo Member"]


def test_private_groups_count_only_for_those_who_may_see_them(seated):
    cast = seated
    found = selectors.decision_seats(initiative=cast.initiative, person=cast.funder, today=TODAY)
    assert "Data sharing" not in _as_table(found)
    assert _as_table(found) == _governance_sql(cast.initiative.pk) | _groups_sql(
        cast.initiative.pk, ["Reading team"]
    )
    inside = selectors.decision_seats(
        initiative=cast.initiative, person=cast.steward_b, today=TODAY
    )
    assert "Data sharing" in _as_table(inside)


def test_a_community_members_seat_is_marked_so_whatever_the_box(seated):
    seat = Seat.objects.get(person=seated.community, body__name="Steering committee")
    assert seat.community_member is True


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({}, "person", "Name who holds the seat: a person, an organisation or both."),
        ({"person": "stranger"}, "person", "The seat holder must be a person of this initiative."),
        (
            {"organisation": "stranger"},
            "organisation",
            "That organisation is not a partner of this initiative.",
        ),
        (
            {"person": "community", "until": date(2023, 1, 1)},
            "until",
            "A seat cannot end before it starts.",
        ),
    ],
)
def test_bad_seats_are_refused_and_nothing_saved(cast, fields, field, message):
    body = make_body(cast.initiative)
    values = dict(fields)
    if values.get("person") == "stranger":
        values["person"] = make_person("stranger@example.org")
    elif values.get("person") == "community":
        values["person"] = cast.community
    if values.get("organisation") == "stranger":
        values["organisation"] = initiatives.organisation_create(name="Elsewhere", sector="other")
    with pytest.raises(ValidationError) as caught:
        make_seat(body, since=date(2024, 1, 1), **values)
    assert caught.value.message_dict[field] == [message]
    assert not Seat.objects.exists()


def test_seats_page_shows_the_share(as_role, seated):
    html = as_role("community").get("/i/riverton/power-map/seats/").text
    assert "Steering committee" in html and "Reading team" in html
    assert "Data sharing" not in html  # a private group the resident is not in
