"""Organisation pickers offer only what the reader may see: an initiative's forms list its own
partners, and adding a partner offers organisations that are partners of no initiative or of
one the reader belongs to, never another initiative's partners."""

import pytest

from backbone.initiatives import services
from backbone.initiatives.roles import Role
from backbone.initiatives.selectors import organisations_offered
from tests.measurement.conftest import make_indicator

pytestmark = pytest.mark.integration

THEIRS = "Lakeside Hospital"
LOOSE = "Eastgate Clinic"


@pytest.fixture
def orgs(cast):
    """A partner of the other initiative only, and an organisation partner of none; and an
    indicator, so that the reporting assignments list the partners."""
    make_indicator(cast.initiative, "children-enrolled", "sum")
    theirs = services.organisation_create(name=THEIRS, sector="health")
    services.partner_add(initiative=cast.other_initiative, organisation=theirs)
    loose = services.organisation_create(name=LOOSE, sector="health")
    return theirs, loose


def test_adding_a_partner_offers_free_organisations_not_another_initiatives(cast, orgs):
    theirs, loose = orgs
    offered = set(organisations_offered(cast.staff, cast.initiative))
    assert offered == {loose}  # the cast's own partners are partners already


def test_someone_in_both_initiatives_is_offered_the_other_ones_partners(cast, orgs):
    theirs, loose = orgs
    services.membership_grant(
        initiative=cast.other_initiative, person=cast.staff, role=Role.BACKBONE_STAFF
    )
    assert set(organisations_offered(cast.staff, cast.initiative)) == {theirs, loose}


def test_a_platform_administrator_is_offered_every_organisation(cast, orgs):
    assert set(organisations_offered(cast.admin, cast.initiative)) == set(orgs)


#: Every page of the initiative with a form that lists organisations or partners, and who of
#: the initiative uses it.
PICKERS = [
    ("staff", "/i/riverton/partners/"),
    ("staff", "/i/riverton/people/"),
    ("steward_a", "/i/riverton/people/"),
    ("staff", "/i/riverton/measurement/indicators/new/"),
    ("staff", "/i/riverton/measurement/dhis2/"),
    ("steward_a", "/i/riverton/measurement/tokens/"),  # their one organisation, hidden
    ("staff", "/i/riverton/measurement/files/upload/"),
    ("steward_a", "/i/riverton/measurement/files/upload/"),
    ("staff", "/i/riverton/completeness/setup/assignments/"),
    ("staff", "/i/riverton/activities/new/"),
    ("steward_a", "/i/riverton/activities/new/"),
    ("staff", "/i/riverton/backbone/funding/funders/new/"),
    ("staff", "/i/riverton/power-map/stakeholders/new/"),
    ("staff", "/i/riverton/assessments/rounds/new/"),
]


@pytest.mark.parametrize("role, url", PICKERS)
def test_no_picker_shows_another_initiatives_partners(cast, orgs, as_role, role, url):
    response = as_role(role).get(url)
    assert response.status_code == 200
    assert THEIRS not in response.text
    if not url.endswith("/tokens/"):
        assert "Riverton Public Library" in response.text  # the picker, with our partner
