"""Staleness at its boundary, the matrix recomputed by hand, query counts, the demo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.advocacy import selectors, services
from backbone.advocacy.demo import advocacy_demo
from backbone.advocacy.models import Commitment, Policy, PublicWillItem
from backbone.initiatives import services as initiative_services

from .conftest import make_commitment, make_item, make_policy

pytestmark = pytest.mark.integration

TODAY = date(2024, 6, 30)


def update(commitment, days_ago):
    services.commitment_update_add(
        commitment=commitment, on=TODAY - timedelta(days=days_ago), text="Progress"
    )


@pytest.mark.parametrize(("days_ago", "stale"), [(89, False), (90, False), (91, True)])
def test_partner_stale_after_ninety_days(cast, days_ago, stale):
    update(make_commitment(cast.partner_a), days_ago)
    found = selectors.staleness(initiative=cast.initiative, today=TODAY)
    assert [p for p, _ in found.stale] == ([cast.partner_a] if stale else [])
    assert found.without == [cast.partner_b]


def test_one_fresh_commitment_keeps_partner_fresh(cast):
    update(make_commitment(cast.partner_a), 200)
    update(make_commitment(cast.partner_a, kind="data"), 10)
    make_commitment(cast.partner_b, status="in_progress")  # never reported: stale
    make_commitment(cast.partner_b, status="done")
    found = selectors.staleness(initiative=cast.initiative, today=TODAY)
    assert found.stale == [(cast.partner_b, None)] and found.without == []


def test_done_and_dropped_commitments_are_never_stale(cast):
    make_commitment(cast.partner_a, status="done")
    make_commitment(cast.partner_a, status="dropped")
    found = selectors.staleness(initiative=cast.initiative, today=TODAY)
    assert found.stale == [] and found.without == [cast.partner_b]


def test_matrix_figures_match_a_recount(cast):
    make_commitment(cast.partner_a, "budget", "committed", starts_on=date(2024, 1, 1))
    make_commitment(cast.partner_a, "budget", "done", starts_on=date(2024, 3, 1))
    make_commitment(cast.partner_a, "data", "dropped")
    make_commitment(cast.partner_b, "budget", "in_progress")
    found = selectors.matrix(initiative=cast.initiative)
    got = {
        (partner.pk, kind): (cell.count, cell.latest.status if cell.latest else None)
        for partner, cells in found.rows
        for (kind, _), cell in zip(found.kinds, cells, strict=True)
    }
    want = {}
    for partner in (cast.partner_a, cast.partner_b):
        for kind, _ in Commitment.Kind.choices:
            mine = list(Commitment.objects.filter(partner=partner, kind=kind))
            last = max(mine, key=lambda c: (c.starts_on, c.pk)) if mine else None
            want[(partner.pk, kind)] = (len(mine), last.status if last else None)
    assert got == want
    assert got[(cast.partner_a.pk, "budget")] == (2, "done")


def test_reach_totals_per_kind_and_quarter(cast):
    make_item(cast.initiative, "event", reach=100, starts_on=date(2024, 2, 1))
    make_item(cast.initiative, "event", reach=50, starts_on=date(2024, 4, 1))
    make_item(cast.initiative, "media", reach=None, starts_on=date(2024, 4, 2))
    make_item(
        cast.initiative,
        "campaign",
        reach=1000,
        starts_on=date(2024, 3, 31),
        ends_on=date(2024, 5, 1),
    )
    table = selectors.public_will(initiative=cast.initiative)
    assert table.total_by_kind == {"campaign": 1000, "event": 150, "media": 0}
    assert table.quarters == [("2024 Q1", [1000, 100, 0], 1100), ("2024 Q2", [0, 50, 0], 50)]


def _grow(cast, n):
    for i in range(n):
        org = initiative_services.organisation_create(name=f"Org {n}-{i}", sector="nonprofit")
        partner = initiative_services.partner_add(
            initiative=cast.initiative, organisation=org, joined_on=date(2024, 1, 1)
        )
        commitment = make_commitment(partner, kind=Commitment.Kind.choices[i % 5][0])
        update(commitment, i)
        policy = make_policy(cast.initiative, f"Policy {n}-{i}", next_step_owner=cast.staff)
        services.policy_event_add(
            policy=policy, happened_on=TODAY, description="x", status_after="drafted"
        )
        make_item(cast.initiative, title=f"Item {n}-{i}")
    make_commitment(cast.partner_a)


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page", ["", "public-will/", "commitments/", "commitments/riverton-public-library/"]
)
def test_list_queries_do_not_grow(cast, as_role, page):
    client = as_role("staff")
    path = "/i/riverton/advocacy/" + page
    _grow(cast, 1)
    small = _queries(client, path)
    _grow(cast, 4)
    make_commitment(cast.partner_a, kind="data")
    assert _queries(client, path) == small


def test_demo_builds_policies_public_will_and_commitments(demo):
    initiative = demo
    advocacy_demo(initiative=initiative)
    policies = Policy.objects.filter(initiative=initiative)
    assert policies.count() == 5
    assert len({p.status for p in policies}) >= 4
    assert [p.title for p in policies if p.is_win] == ["Universal pre-K for four-year-olds"]
    kinds = PublicWillItem.objects.filter(initiative=initiative).values_list("kind", flat=True)
    assert (
        sorted(set(kinds)) == ["campaign", "event", "media"] and list(kinds).count("campaign") == 2
    )
    found = selectors.staleness(initiative=initiative, today=date.today())
    assert len(found.stale) == 2 and len(found.without) >= 2
    partners = initiative.partners.count()
    committed = Commitment.objects.filter(initiative=initiative).values("partner").distinct()
    assert committed.count() > partners / 2
