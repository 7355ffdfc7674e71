"""A fixed cast of people, one per role, so permission tests read like sentences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from backbone.accounts.models import Person
from backbone.initiatives import services
from backbone.initiatives.models import Initiative, Organisation, Partner
from backbone.initiatives.roles import Role
from tests.browser import browser, page  # noqa: F401 (fixtures)
from tests.selection import pytest_collection_modifyitems  # noqa: F401 (hook)
from tests.snapshots import BuiltOnce, DemoSnapshot

# Speed is measured by the benchmarks, not by the tests: hypothesis's per-example deadline
# only turns a busy machine into a failure.
hypothesis_settings.register_profile("backbone", deadline=None)
hypothesis_settings.load_profile("backbone")


@pytest.fixture(autouse=True)
def each_test_starts_in_english():
    """A request in French leaves French active in the thread that served it (the test
    client's, here): each test starts in the default language, whatever ran before."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def api_answers_fit_the_schema(monkeypatch):
    """Every answer the API gives a test must be one its OpenAPI schema documents
    (tests/api/conformance.py)."""
    from tests.api.conformance import problems

    send = Client.request

    def request(self, **environ):
        response = send(self, **environ)
        found = problems(environ["REQUEST_METHOD"], environ["PATH_INFO"], response)
        assert not found, "The API answered outside its schema:\n" + "\n".join(found)
        return response

    monkeypatch.setattr(Client, "request", request)


@dataclass
class Cast:
    initiative: Initiative
    other_initiative: Initiative
    org_a: Organisation
    org_b: Organisation
    partner_a: Partner
    partner_b: Partner
    staff: Person
    steward_a: Person
    steward_b: Person
    member_a: Person
    community: Person
    funder: Person
    evaluator: Person
    other_staff: Person
    public: Person
    admin: Person

    def person(self, name: str) -> Person | None:
        return None if name == "anonymous" else getattr(self, name)


ROLES = [
    "anonymous",
    "public",
    "community",
    "member_a",
    "steward_a",
    "steward_b",
    "funder",
    "evaluator",
    "staff",
    "other_staff",
]


def refused(role: str) -> int:
    """How a members' page refuses a reader who may know it exists: signed out, a redirect
    to sign in; signed in, 403."""
    return 302 if role == "anonymous" else 403


def make_person(email: str, name: str = "", **extra) -> Person:
    return Person.objects.create_user(
        email=email, password="correct horse battery", name=name or email.split("@")[0], **extra
    )


def make_initiative(slug: str, name: str, **extra) -> Initiative:
    return Initiative.objects.create(
        slug=slug, name=name, place="Riverton", issue_area="Cradle to career", **extra
    )


@pytest.fixture(scope="session")
def cast_snapshot(django_db_setup, django_db_blocker) -> BuiltOnce[Cast]:
    """The cast, built once for the session (each xdist worker) and rolled back."""
    snapshot = BuiltOnce(build_cast)
    with django_db_blocker.unblock():
        snapshot.take()
    return snapshot


@pytest.fixture
def cast(request, db, cast_snapshot) -> Cast:
    """Two initiatives, two partners and one person per role, put back for this test.
    With the demo, it is built afresh after it (the snapshot's rows were taken on an empty
    database, and its organisations' names would clash with the demo's)."""
    if "demo" in request.fixturenames:
        return build_cast()
    return cast_snapshot.restore()


def build_cast() -> Cast:
    initiative = make_initiative("riverton", "Riverton Cradle to Career")
    other = make_initiative("lakeside", "Lakeside Health Collaborative")
    org_a = services.organisation_create(name="Riverton Public Library", sector="education")
    org_b = services.organisation_create(name="Northside Food Bank", sector="nonprofit")
    partner_a = services.partner_add(
        initiative=initiative, organisation=org_a, joined_on=date(2024, 1, 1)
    )
    partner_b = services.partner_add(
        initiative=initiative, organisation=org_b, joined_on=date(2024, 2, 1)
    )
    c = Cast(
        initiative=initiative,
        other_initiative=other,
        org_a=org_a,
        org_b=org_b,
        partner_a=partner_a,
        partner_b=partner_b,
        staff=make_person("staff@example.org", "Sam Staff"),
        steward_a=make_person("steward.a@example.org", "Ada Steward"),
        steward_b=make_person("steward.b@example.org", "Bea Steward"),
        member_a=make_person("member.a@example.org", "Mo Member"),
        community=make_person("resident@example.org", "Cam Resident"),
        funder=make_person("funder@example.org", "Fran Funder"),
        evaluator=make_person("evaluator@example.org", "Eve Evaluator"),
        other_staff=make_person("other.staff@example.org", "Otto Other"),
        public=make_person("someone@example.org", "Pat Public"),
        admin=Person.objects.create_superuser(
            email="admin@example.org", password="correct horse battery", name="Ali Admin"
        ),
    )
    grant = services.membership_grant
    grant(initiative=initiative, person=c.staff, role=Role.BACKBONE_STAFF)
    grant(initiative=initiative, person=c.steward_a, role=Role.PARTNER_STEWARD, organisation=org_a)
    grant(initiative=initiative, person=c.steward_b, role=Role.PARTNER_STEWARD, organisation=org_b)
    grant(initiative=initiative, person=c.member_a, role=Role.PARTNER_MEMBER, organisation=org_a)
    grant(initiative=initiative, person=c.community, role=Role.COMMUNITY_MEMBER)
    grant(initiative=initiative, person=c.funder, role=Role.FUNDER)
    grant(initiative=initiative, person=c.evaluator, role=Role.EVALUATOR)
    grant(initiative=other, person=c.other_staff, role=Role.BACKBONE_STAFF)
    return c


def client_as(person: Person | None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def signed_in(email: str, password: str) -> Client:
    """A client signed in through the sign-in form, as a person would: the password and
    the sign-in limits are checked on the way."""
    client = Client()
    response = client.post("/accounts/login/", {"username": email, "password": password})
    assert response.status_code == 302, f"{email} could not sign in"
    return client


@pytest.fixture
def as_role(cast):
    """`as_role("steward_a")` gives a client signed in as that member of the cast."""
    return lambda name: client_as(cast.person(name))


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker) -> DemoSnapshot:
    """The demo, built once for the session (each xdist worker) and rolled back."""
    snapshot = DemoSnapshot()
    with django_db_blocker.unblock():
        snapshot.current()
    return snapshot


@pytest.fixture
def demo(db, demo_snapshot) -> Initiative:
    """The demo initiative, its rows put back for this test: in the test's transaction, or
    committed for a test on `transactional_db` (a browser test's live server reads them).
    Ask for it before anything else makes rows: the demo is restored as it was built, on an
    empty database (`cast`'s organisations, say, would clash with its own)."""
    return demo_snapshot.restore()
