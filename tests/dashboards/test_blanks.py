"""An indicator page's partners: a partner that gave no value but said why shows its reason,
never a zero, to those who may read that partner's values."""

from __future__ import annotations

import pytest

from backbone.measurement.intake import Reported
from tests.measurement.conftest import measured  # noqa: F401
from tests.measurement.exchange.helpers import full_report, report

pytestmark = pytest.mark.integration

URL = "/i/riverton/scorecard/indicators/children-enrolled/?period=2024-01"


@pytest.fixture
def blank_b(cast, measured):  # noqa: F811 (the imported fixture)
    """January: partner A's full report; partner B's enrolment not collected, approved."""
    measured.enrolled.frequency = "month"
    measured.enrolled.save()
    report(cast, cast.partner_a, full_report("2024-01"), approve=True)
    blank = [Reported("children-enrolled", "2024-01", {}, missing="not_collected")]
    report(cast, cast.partner_b, blank, approve=True)


def by_partner(html: str) -> str:
    return html.split("By partner")[1].split("</table>")[0]


def test_staff_see_the_reason_of_a_partner_without_a_value(cast, blank_b, as_role):
    shown = by_partner(as_role("staff").get(URL).content.decode())

    assert "Riverton Public Library</th><td>25</td>" in shown
    assert 'Northside Food Bank</th><td class="muted">Not collected</td>' in shown


def test_a_partner_sees_only_its_own(cast, blank_b, as_role):
    shown = by_partner(as_role("steward_a").get(URL).content.decode())
    theirs = by_partner(as_role("steward_b").get(URL).content.decode())

    assert "Northside Food Bank" not in shown
    assert "Not collected" in theirs and "Riverton Public Library" not in theirs
