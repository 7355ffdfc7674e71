"""The platform administrator's pages for shared measurement open; values stay read-only."""

import pytest

from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import DataValue

pytestmark = pytest.mark.integration

MODELS = [
    "dimension",
    "group",
    "indicator",
    "period",
    "target",
    "submission",
    "datavalue",
    "valuechange",
    "apitoken",
    "dhis2mapping",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_open_for_the_platform_administrator(cast, measured, as_role, model):
    response = as_role("admin").get(f"/admin/measurement/{model}/")

    assert response.status_code == 200


def test_reported_values_cannot_be_changed_in_the_admin(cast, measured, as_role):
    Intake(
        initiative=cast.initiative, by=cast.steward_a, channel="web", partner=cast.partner_a
    ).submit([Reported("reading-score", "SY2024-25", {}, value=250, weight=30, row=1)])
    value = DataValue.objects.get()
    admin = as_role("admin")

    page = admin.get(f"/admin/measurement/datavalue/{value.pk}/change/")
    admin.post(f"/admin/measurement/datavalue/{value.pk}/change/", {"value": "999"})

    assert page.status_code == 200 and 'name="value"' not in page.content.decode()
    value.refresh_from_db()
    assert value.value == 250


def test_the_measurement_admin_is_for_the_platform_administrator_only(cast, measured, as_role):
    assert as_role("staff").get("/admin/measurement/indicator/").status_code == 302
