"""Who may download a template, upload a file and export values, for every role of the cast.

Partners work with their own organisation's values; another partner's answer 404; the
backbone imports and exports for every partner; evaluators export everything and upload
nothing; outsiders of this members-only initiative get 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backbone.measurement.models import DataValue
from tests.conftest import ROLES

from .conftest import BASE, ORG_A, ORG_B, csv_bytes

pytestmark = pytest.mark.integration

OUTSIDERS = {"public", "other_staff"}
ORG_A_PEOPLE = {"steward_a", "member_a"}
PARTNER_PEOPLE = ORG_A_PEOPLE | {"steward_b"}


def expected(role, *, allowed, hidden=frozenset(), ok=200):
    """anonymous → sign in; outsiders → 404; hidden (another partner's values) → 404."""
    if role == "anonymous":
        return 302
    if role in OUTSIDERS or role in hidden:
        return 404
    return ok if role in allowed else 403


TEMPLATE = f"{BASE}/files/template/?format=csv&period=2024-01"
CASES = [
    # (url, roles answered 200, roles answered 404 beyond the outsiders)
    (TEMPLATE, PARTNER_PEOPLE, set()),  # staff: 400, see below
    (f"{TEMPLATE}&partner={ORG_A}", ORG_A_PEOPLE | {"staff"}, {"steward_b"}),
    (f"{TEMPLATE}&partner={ORG_B}", {"steward_b", "staff"}, ORG_A_PEOPLE),
    (
        f"{BASE}/files/template/?format=xlsx&period=SY2024-25&partner={ORG_A}",
        ORG_A_PEOPLE | {"staff"},
        {"steward_b"},
    ),
    (f"{BASE}/files/upload/", PARTNER_PEOPLE | {"staff"}, set()),
    (f"{BASE}/files/upload/?partner={ORG_A}", ORG_A_PEOPLE | {"staff"}, {"steward_b"}),
    (f"{BASE}/files/export/", PARTNER_PEOPLE | {"staff", "evaluator"}, set()),
    (f"{BASE}/files/export/?format=csv", PARTNER_PEOPLE | {"staff", "evaluator"}, set()),
    (f"{BASE}/files/export/?format=xlsx", PARTNER_PEOPLE | {"staff", "evaluator"}, set()),
    (
        f"{BASE}/files/export/?format=csv&partner={ORG_A}",
        ORG_A_PEOPLE | {"staff", "evaluator"},
        {"steward_b"},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "allowed", "hidden"), CASES)
def test_file_pages_answer_by_role(cast, files, as_role, role, url, allowed, hidden):
    response = as_role(role).get(url)
    if url == TEMPLATE and role == "staff":
        return  # test_staff_must_name_the_partner_of_a_template
    assert response.status_code == expected(role, allowed=allowed, hidden=hidden)


@pytest.mark.parametrize("role", ROLES)
def test_template_for_a_closed_period_is_only_for_the_backbone(cast, files, as_role, role):
    response = as_role(role).get(f"{BASE}/files/template/?format=csv&period=2021&partner={ORG_A}")
    assert response.status_code == expected(role, allowed={"staff"}, hidden={"steward_b"})


def test_staff_must_name_the_partner_of_a_template(cast, files, as_role):
    response = as_role("staff").get(TEMPLATE)
    assert response.status_code == 400
    assert b"Name the partner" in response.content


def _upload(client, rows, **data):
    file = SimpleUploadedFile("values.csv", csv_bytes(rows), content_type="text/csv")
    return client.post(f"{BASE}/files/upload/", {"file": file, "action": "submit", **data})


@pytest.mark.parametrize("role", ROLES)
def test_uploading_org_a_values(cast, files, as_role, role):
    rows = [["indicator", "period", "value", "partner"], ["open-cases", "2024-01", "4", ORG_A]]
    data = {"partner": ORG_A} if role in {"staff"} else {}
    response = _upload(as_role(role), rows, **data)
    writers = ORG_A_PEOPLE | {"staff"}
    written = DataValue.objects.filter(partner=cast.partner_a).exists()
    assert written == (role in writers)
    assert response.status_code == expected(
        role, allowed=writers | {"steward_b"}, ok=302 if role in writers else 200
    )
    assert not DataValue.objects.exclude(partner=cast.partner_a).exists()


@pytest.mark.parametrize("role", ROLES)
def test_importing_many_partners_values_is_for_the_backbone(cast, files, as_role, role):
    rows = [
        ["partner", "indicator", "period", "value"],
        [ORG_A, "open-cases", "2024-01", "4"],
        [ORG_B, "open-cases", "2024-01", "5"],
    ]
    response = _upload(as_role(role), rows, many_partners="on")
    assert DataValue.objects.filter(partner=cast.partner_b).exists() == (role == "staff")
    if role == "staff":
        assert response.status_code == 302
    elif role in PARTNER_PEOPLE:
        # the box is not theirs: the rows are read as their own organisation's, and refused
        assert response.status_code == 200
        assert "you may report only for your own organisation" in response.content.decode()
    else:
        assert response.status_code == expected(role, allowed=set())
