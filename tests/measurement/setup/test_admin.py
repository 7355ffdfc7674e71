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


def test_an_indicator_edited_in_the_admin_keeps_the_setup_rules(cast, measured, rf):
    from django.contrib import admin

    from backbone.measurement.models import Indicator

    request = rf.get("/")
    request.user = cast.admin
    indicator = measured.enrolled
    form_class = admin.site._registry[Indicator].get_form(request, indicator)
    data = {
        field: getattr(indicator, field)
        for field in ("initiative", "code", "name", "kind", "rate_per", "direction")
        + ("aggregation", "frequency", "visibility", "decimals", "position")
    }
    data["initiative"] = cast.initiative.pk

    form = form_class({**data, "unit": "percent"}, instance=indicator)

    assert not form.is_valid()
    assert "60% and 70% are not 130%" in " ".join(form.errors["aggregation"])
    assert form_class({**data, "unit": "count"}, instance=indicator).is_valid()


def test_the_measurement_admin_is_for_the_platform_administrator_only(cast, measured, as_role):
    assert as_role("staff").get("/admin/measurement/indicator/").status_code == 302
