from io import StringIO

import pytest
from django.core.management import call_command

from backbone.agenda.models import AgendaVersion, Comment, Endorsement, Goal, Strategy
from backbone.agenda.selectors import current_version, draft_of
from backbone.demo.builder import PASSWORD, demo_prerequisites
from backbone.frameworks.models import Framework
from backbone.initiatives.models import Initiative, Membership, Partner
from tests.conftest import signed_in

pytestmark = pytest.mark.integration


@pytest.fixture
def demo_output(db, demo_snapshot):
    """load_demo on an empty database, as after a first migrate: nothing loaded before it.
    It runs once per session (tests/demo_snapshot.py); its rows are put back for each test."""
    assert not Framework.objects.exists()
    demo_snapshot.restore()
    return demo_snapshot.current().output


def test_demo_prerequisites_load_the_frameworks_only_when_missing(db):
    assert [f.slug for f in demo_prerequisites()] == [
        f.slug for f in Framework.objects.order_by("pk")
    ]
    assert Framework.objects.filter(slug="collective-impact").exists()
    assert demo_prerequisites() == []


def test_demo_is_a_cradle_to_career_partnership_of_25_partners(demo_output):
    initiative = Initiative.objects.get(slug="riverton-cradle-to-career")
    partners = Partner.objects.filter(initiative=initiative)
    assert partners.count() == 25
    assert len(set(partners.values_list("organisation__sector", flat=True))) >= 8
    assert set(partners.values_list("status", flat=True)) == {"active", "paused", "withdrawn"}
    assert initiative.framework.slug == "collective-impact" and initiative.phase
    assert "Loaded the framework" in demo_output  # a fresh database had none


def test_demo_agenda_has_four_goals_and_three_versions(demo_output):
    initiative = Initiative.objects.get(slug="riverton-cradle-to-career")
    assert Goal.objects.filter(initiative=initiative).count() == 4
    assert Strategy.objects.filter(initiative=initiative).count() >= 8
    versions = AgendaVersion.objects.filter(initiative=initiative).order_by("number")
    assert [v.number for v in versions] == [1, 2, 3]
    assert all(v.changes for v in versions[1:])
    assert Comment.objects.filter(initiative=initiative).exists()


def test_demo_agenda_ends_published_with_no_draft_left(demo_output):
    initiative = Initiative.objects.get(slug="riverton-cradle-to-career")
    draft = draft_of(initiative)
    assert draft.published.number == 3
    assert draft.changes == []


def test_most_but_not_all_active_partners_endorse_the_current_version(demo_output):
    initiative = Initiative.objects.get(slug="riverton-cradle-to-career")
    active = Partner.objects.filter(initiative=initiative, status="active").count()
    endorsed = Endorsement.objects.filter(version=current_version(initiative)).count()
    assert active / 2 < endorsed < active


def test_demo_prints_a_sign_in_for_every_role_and_each_works(demo_output):
    initiative = Initiative.objects.get(slug="riverton-cradle-to-career")
    for role in [
        "backbone_staff",
        "partner_steward",
        "partner_member",
        "community_member",
        "funder",
        "evaluator",
    ]:
        people = [m.person for m in Membership.objects.filter(initiative=initiative, role=role)]
        person = next(p for p in people if p.email in demo_output)
        client = signed_in(person.email, PASSWORD)
        assert client.get(f"/i/{initiative.slug}/").status_code == 200
    assert "Platform administrator" in demo_output
    assert PASSWORD in demo_output


def _answers(initiative) -> list:
    """The assessment answers, without who gave them: what a rebuild must reproduce."""
    from backbone.assessments.models import Response

    return sorted(
        (r.round.title, r.sector, r.is_community_member, sorted(r.answers.items()))
        for r in Response.objects.filter(initiative=initiative).select_related("round")
    )


def test_demo_can_be_rebuilt_and_is_the_same_on_every_build(demo_output):
    """The session's build (restored) against a second one: one initiative, its partners,
    and the same assessment answers (drawn from a seeded generator)."""
    first = _answers(Initiative.objects.get(slug="riverton-cradle-to-career"))
    call_command("load_demo", stdout=StringIO())
    assert Initiative.objects.filter(slug="riverton-cradle-to-career").count() == 1
    initiative = Initiative.objects.get(slug="riverton-cradle-to-career")
    assert Partner.objects.filter(initiative=initiative).count() == 25
    assert first and _answers(initiative) == first
