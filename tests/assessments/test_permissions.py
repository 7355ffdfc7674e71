"""Who may open, answer, follow and read rounds, role by role, on every page, form, export
and action: outsiders get 404, members denied get 403."""

from __future__ import annotations

import pytest

from backbone.assessments import services
from backbone.assessments.models import Respondent, Response, Round
from backbone.initiatives.roles import Role
from tests.conftest import ROLES

from .conftest import answers_for, open_round

pytestmark = pytest.mark.integration

BASE = "/i/riverton/assessments/"
OUTSIDERS = {"anonymous", "public", "other_staff"}
MEMBERS = set(ROLES) - OUTSIDERS
READERS = {"staff", "evaluator"}
ASKED = {"steward_a", "member_a", "community"}  # the open round asks partner A and residents


def expected(role, allowed, ok=200):
    if role in OUTSIDERS:
        return 404
    return ok if role in allowed else 403


@pytest.fixture
def rounds(cast, initiative, questionnaires):
    """An open round of partner A and residents; closed ones shared and not, and one that is
    not anonymous."""
    conditions = questionnaires["conditions"]
    people = (cast.steward_a, cast.member_a, cast.steward_b)

    def closed(**extra):
        found = open_round(initiative, conditions, **extra)
        for person in people:
            services.response_submit(round=found, person=person, answers=answers_for(found))
        services.round_close(round=found)
        return found

    return {
        "open": open_round(
            initiative,
            questionnaires["readiness"],
            roles=[Role.PARTNER_STEWARD, Role.PARTNER_MEMBER, Role.COMMUNITY_MEMBER],
            partners=[cast.partner_a],
        ),
        "shared": closed(results_shared=True),
        "private": closed(),
        "named": closed(anonymous=False),
    }


def url(page, rounds):
    return BASE + page.format(**{k: v.uuid for k, v in rounds.items()})


#: (page, who gets it): every GET page and export of the app.
PAGES = [
    ("", MEMBERS),  # the rounds each member may see
    ("questionnaires/", MEMBERS),
    ("questionnaires/conditions/", MEMBERS),
    ("rounds/new/", {"staff"}),  # opening a round
    ("rounds/{open}/", READERS),  # response rates
    ("rounds/{private}/", READERS),
    ("rounds/{named}/", READERS),
    ("rounds/{shared}/results/", MEMBERS),  # results the backbone shares
    ("rounds/{shared}/results.csv", MEMBERS),
    ("rounds/{private}/results/", READERS),  # results it does not share
    ("rounds/{private}/results.csv", READERS),
    ("rounds/{open}/results/", READERS),
    ("rounds/{named}/answers.csv", READERS),  # who said what: not anonymous only
    ("rounds/{open}/answer/", ASKED),
]
NEVER = [  # answers by respondent of anonymous rounds do not exist for anyone
    "rounds/{shared}/answers.csv",
    "rounds/{private}/answers.csv",
    "rounds/{open}/answers.csv",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_export_per_role(as_role, rounds, role):
    client = as_role(role)
    got = {page: client.get(url(page, rounds)).status_code for page, _ in PAGES}
    assert got == {page: expected(role, allowed) for page, allowed in PAGES}


@pytest.mark.parametrize("role", ROLES)
def test_answers_by_respondent_never_exist_for_anonymous_rounds(as_role, rounds, role):
    client = as_role(role)
    assert [client.get(url(page, rounds)).status_code for page in NEVER] == [404] * len(NEVER)


@pytest.mark.parametrize("role", ROLES)
def test_answer_posted_only_by_those_asked(as_role, rounds, role):
    found = rounds["open"]
    response = as_role(role).post(url("rounds/{open}/answer/", rounds), answers_for(found))
    assert response.status_code == expected(role, ASKED, ok=302)
    assert Response.objects.filter(round=found).count() == (1 if role in ASKED else 0)


ACTIONS = [
    ("close", {}, lambda r: r.closed_at is not None),
    ("closing-date", {"closes_on": "2099-01-01"}, lambda r: str(r.closes_on) == "2099-01-01"),
    ("share", {"shared": "1"}, lambda r: r.results_shared),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "data", "done"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_round_actions_for_staff_only(as_role, rounds, role, action, data, done):
    response = as_role(role).post(url(f"rounds/{{open}}/{action}/", rounds), data)
    assert response.status_code == expected(role, {"staff"}, ok=302)
    assert done(Round.objects.get(pk=rounds["open"].pk)) == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_reminders_sent_only_by_staff(as_role, rounds, role, mailoutbox):
    response = as_role(role).post(url("rounds/{open}/remind/", rounds))
    assert response.status_code == expected(role, {"staff"}, ok=302)
    assert bool(mailoutbox) == (role == "staff")
    reminded = Respondent.objects.filter(round=rounds["open"], reminded_on__isnull=False)
    assert reminded.exists() == (role == "staff")


def test_actions_refuse_get(as_role, rounds):
    for action in ("closing-date", "share", "remind"):
        assert as_role("staff").get(url(f"rounds/{{open}}/{action}/", rounds)).status_code == 405


def test_closing_asks_first(as_role, rounds):
    asked = as_role("staff").get(url("rounds/{open}/close/", rounds))
    assert asked.status_code == 200
    assert "Close the round now</button>" in asked.content.decode()
    assert Round.objects.get(pk=rounds["open"].pk).closed_at is None
    assert as_role("funder").get(url("rounds/{open}/close/", rounds)).status_code == 403


def test_rounds_list_shows_each_member_only_what_they_may_see(as_role, rounds):
    titles = {name: r.title for name, r in rounds.items()}
    staff = as_role("staff").get(BASE).text
    assert all(f">{t}<" in staff for t in titles.values()) or staff.count("Results") >= 3
    funder = as_role("funder").get(BASE).text
    # the funder was not asked and only the shared round's results are theirs to read
    assert funder.count("/results/") == 1
    assert f"rounds/{rounds['shared'].uuid}/results/" in funder
    steward = as_role("steward_a").get(BASE).text
    assert f"rounds/{rounds['open'].uuid}/answer/" in steward


def test_other_initiative_staff_cannot_reach_a_round_through_their_own(as_role, rounds, cast):
    found = rounds["shared"]
    response = as_role("other_staff").get(f"/i/lakeside/assessments/rounds/{found.uuid}/results/")
    assert response.status_code == 404
