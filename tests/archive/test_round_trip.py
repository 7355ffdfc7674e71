"""The demo exported and imported beside itself under another slug reads the same: every
page and API answer a backbone staff member of both reads, and every row."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.assessments.models import Round
from backbone.communication.models import Meeting
from backbone.decisions.models import Proposal
from backbone.initiatives.models import Initiative, Membership
from backbone.initiatives.roles import Role
from backbone.measurement.models import Indicator
from backbone.network.models import Wave
from backbone.powermap.models import Stakeholder
from tests.conftest import client_as
from tests.pages import png

from .helpers import canonical_rows, page_text

COPY = "riverton-copy"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def copied(demo, media, tmp_path) -> tuple[Initiative, Initiative]:
    """The demo (with a logo) and its copy, imported from its archive."""
    demo.logo.save("riverton.png", ContentFile(png()))
    archive = tmp_path / "riverton.zip"
    call_command("export", demo.slug, out=str(archive), stdout=StringIO())
    people = Person.objects.count()
    call_command("import", str(archive), "--as", COPY, stdout=StringIO())
    assert Person.objects.count() == people  # everyone is here already: matched by e-mail
    return demo, Initiative.objects.get(slug=COPY)


def first(model, initiative, **filters):
    return model.objects.filter(initiative=initiative, **filters).order_by("pk").first()


def addresses(initiative: Initiative) -> list[str]:
    """Representative pages and the API's lists, for one initiative."""
    s = f"/i/{initiative.slug}"
    indicator = first(Indicator, initiative)
    closed = first(Round, initiative, closes_on__lt=timezone.localdate())
    pages = [
        "/",
        "/agenda/",
        "/agenda/versions/",
        "/scorecard/",
        f"/scorecard/indicators/{indicator.code}/",
        "/activities/",
        "/groups/",
        f"/groups/meetings/{first(Meeting, initiative).uuid}/",
        "/decisions/",
        f"/decisions/{first(Proposal, initiative).uuid}/",
        "/backbone/",
        "/backbone/funding/",
        "/assessments/",
        f"/assessments/rounds/{closed.uuid}/results/",
        "/network/",
        f"/network/waves/{first(Wave, initiative).uuid}/",
        "/learning/",
        "/learning/log/",
        "/power-map/",
        f"/power-map/stakeholders/{first(Stakeholder, initiative).uuid}/",
        "/reports/",
        "/advocacy/",
        "/phases/",
        "/updates/",
        "/health/",
        "/partners/",
        "/people/",
    ]
    a = f"/api/initiatives/{initiative.slug}"
    api = [
        a,
        f"{a}/partners",
        f"{a}/agenda",
        f"{a}/agenda/versions",
        f"{a}/agenda/endorsements",
        f"{a}/indicators",
        f"{a}/dimensions",
        f"{a}/periods",
        f"{a}/values?page_size=500",
        f"{a}/submissions",
        f"{a}/indicators/{indicator.code}/series",
    ]
    return [s + page for page in pages] + api


def read(client, initiative: Initiative) -> dict[str, str]:
    answers = {}
    for url in addresses(initiative):
        response = client.get(url)
        assert response.status_code == 200, url
        answers[page_text(url, initiative)] = page_text(response.content.decode(), initiative)
    return answers


@pytest.mark.integration
def test_a_copy_holds_the_same_rows_and_reads_the_same_page_by_page(copied):
    """One test for both: exporting and importing the demo is the costly part."""
    original, copy = copied
    before, after = canonical_rows(original), canonical_rows(copy)
    for label, rows in before.items():
        assert len(after[label]) == len(rows), label
        assert after[label] == rows, label

    staff = Membership.objects.filter(initiative=original, role=Role.BACKBONE_STAFF).first()
    assert Membership.objects.filter(initiative=copy, person=staff.person).exists()
    client = client_as(staff.person)
    pages_before, pages_after = read(client, original), read(client, copy)
    assert list(pages_after) == list(pages_before)
    for url, text in pages_before.items():
        assert pages_after[url] == text, url
