"""The influence × interest grid: quadrants at their boundaries, every stakeholder in its cell,
the history of moves, and bad input refused with nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.initiatives import services as initiatives
from backbone.powermap import selectors, services
from backbone.powermap.forms import StakeholderForm
from backbone.powermap.models import Placement, Stakeholder

from .conftest import make_stakeholder

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "influence, interest, quadrant",
    [
        (4, 4, "manage_closely"),
        (5, 5, "manage_closely"),
        (4, 3, "keep_satisfied"),
        (5, 1, "keep_satisfied"),
        (3, 4, "keep_informed"),
        (1, 5, "keep_informed"),
        (3, 3, "monitor"),
        (1, 1, "monitor"),
    ],
)
def test_quadrant_high_starts_at_four(influence, interest, quadrant):
    assert selectors.quadrant(influence, interest) == quadrant


def _quadrant_counts_sql(initiative_id) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT CASE
                WHEN influence >= 4 AND interest >= 4 THEN 'manage_closely'
                WHEN influence >= 4 THEN 'keep_satisfied'
                WHEN interest >= 4 THEN 'keep_informed'
                ELSE 'monitor' END AS q, COUNT(*)
            FROM powermap_stakeholder WHERE initiative_id = %s GROUP BY q
            """,
            [initiative_id],
        )
        return dict(cursor.fetchall())


def test_map_puts_each_stakeholder_in_its_cell_and_counts_quadrants(cast):
    for n, (influence, interest) in enumerate([(5, 5), (4, 2), (2, 4), (1, 1), (3, 3), (4, 4)]):
        make_stakeholder(cast.initiative, f"S{n}", influence=influence, interest=interest)
    make_stakeholder(cast.other_initiative, "Elsewhere", influence=5, interest=5)

    found = selectors.power_map(initiative=cast.initiative)

    assert [r.influence for r in found.rows] == [5, 4, 3, 2, 1]
    placed = {
        m.stakeholder.name: (cell.influence, cell.interest)
        for row in found.rows
        for cell in row.cells
        for m in cell.markers
    }
    rows = Stakeholder.objects.filter(initiative=cast.initiative).values_list(
        "name", "influence", "interest"
    )
    assert placed == {name: (i, j) for name, i, j in rows}
    assert found.counts == _quadrant_counts_sql(cast.initiative.pk)
    assert [m.number for m in found.markers] == list(range(1, 7))
    labels = [cell.label for row in found.rows for cell in row.cells if cell.label]
    assert sorted(labels) == ["Keep informed", "Keep satisfied", "Manage closely", "Monitor"]


def test_every_move_is_kept_with_who_and_why(cast):
    s = make_stakeholder(cast.initiative, influence=5, interest=3, stance="sceptic", by=cast.staff)
    s.notes = "Met the chair"
    services.stakeholder_save(stakeholder=s, by=cast.staff)
    assert Placement.objects.filter(stakeholder=s).count() == 1  # notes are not a move

    s.interest, s.stance = 5, "supporter"
    services.stakeholder_save(stakeholder=s, by=cast.staff, note="After the data walk")

    history = list(Placement.objects.filter(stakeholder=s).order_by("placed_at", "id"))
    assert [(p.influence, p.interest, p.stance) for p in history] == [
        (5, 3, "sceptic"),
        (5, 5, "supporter"),
    ]
    assert history[-1].note == "After the data walk" and history[-1].placed_by == cast.staff
    s.refresh_from_db()
    assert s.placed_at == history[-1].placed_at


@pytest.mark.parametrize("field, value", [("influence", 6), ("interest", 0)])
def test_a_score_outside_one_to_five_is_refused(cast, field, value):
    s = Stakeholder(initiative=cast.initiative, name="Board", kind="group", influence=3, interest=3)
    setattr(s, field, value)
    with pytest.raises(ValidationError) as caught:
        services.stakeholder_save(stakeholder=s)
    assert field in caught.value.message_dict
    assert not Stakeholder.objects.exists() and not Placement.objects.exists()


def test_an_organisation_that_is_not_a_partner_is_refused(cast):
    stranger = initiatives.organisation_create(name="Far Away Trust", sector="philanthropy")
    s = Stakeholder(
        initiative=cast.initiative,
        kind="organisation",
        organisation=stranger,
        influence=3,
        interest=3,
    )
    with pytest.raises(ValidationError) as caught:
        services.stakeholder_save(stakeholder=s)
    assert caught.value.message_dict == {
        "organisation": ["That organisation is not a partner of this initiative."]
    }
    assert not Stakeholder.objects.exists()


def test_a_partner_gives_its_name_and_sector(cast):
    s = services.stakeholder_save(
        stakeholder=Stakeholder(
            initiative=cast.initiative,
            kind="organisation",
            organisation=cast.org_a,
            influence=2,
            interest=5,
        )
    )
    assert (s.name, s.sector) == ("Riverton Public Library", "education")


def test_form_needs_a_name_or_a_partner(cast):
    form = StakeholderForm(
        {"kind": "group", "influence": 3, "interest": 3, "stance": "neutral"},
        initiative=cast.initiative,
    )
    assert not form.is_valid()
    assert form.errors["name"] == ["Name the stakeholder, or choose the partner it is."]


def test_map_page_shows_the_grid_and_the_table(as_role, cast):
    board = make_stakeholder(cast.initiative, "Riverton School Board", influence=5, interest=5)
    html = as_role("funder").get("/i/riverton/power-map/").text
    link = f'href="/i/riverton/power-map/stakeholders/{board.uuid}/"'
    assert html.count(link) == 2  # a marker in the grid, a row in the table
    assert "Manage closely" in html and "Keep satisfied" in html


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/i/riverton/power-map/", "/i/riverton/power-map/seats/"])
def test_pages_cost_the_same_queries_for_one_or_many(as_role, cast, path):
    from .conftest import make_body, make_seat

    client = as_role("staff")
    body = make_body(cast.initiative)
    make_stakeholder(cast.initiative, "One")
    make_seat(body, person=cast.steward_a)
    small = _queries(client, path)
    for n in range(3):
        make_stakeholder(cast.initiative, f"More {n}", influence=1 + n, interest=5 - n)
    make_seat(body, person=cast.community)
    make_seat(body, organisation=cast.org_b)
    make_seat(make_body(cast.initiative, "Funders' table"), person=cast.funder)
    assert _queries(client, path) == small
