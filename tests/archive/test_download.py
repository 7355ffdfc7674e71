"""Backbone staff download their initiative's archive; nobody else does. The download holds
what the pages show staff, and no more: never the answers of an anonymous round."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from backbone.archive.export import initiative_export
from backbone.assessments.models import Response, Round
from tests.conftest import ROLES, client_as, refused


@pytest.mark.integration
@pytest.mark.parametrize("role", ROLES)
def test_only_backbone_staff_download_the_archive(as_role, role):
    response = as_role(role).get("/i/riverton/archive/")
    if role == "staff":
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert 'filename="riverton-' in response["Content-Disposition"]
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        assert json.loads(archive.read("manifest.json"))["initiative"] == "riverton"
    else:
        # Those who may not see a members-only initiative are told it is not there.
        hidden = role in ("public", "other_staff")
        assert response.status_code == (404 if hidden else refused(role)), role


@pytest.mark.integration
def test_the_edit_page_offers_the_download_to_staff(cast):
    page = client_as(cast.staff).get("/i/riverton/edit/").content.decode()
    assert 'href="/i/riverton/archive/"' in page


def responses(archive: bytes) -> list[dict]:
    data = json.loads(zipfile.ZipFile(io.BytesIO(archive)).read("data.json"))
    return data["models"]["assessments.Response"]


@pytest.mark.integration
def test_answers_stay_apart_from_people_and_anonymous_ones_stay_home(demo):
    anonymous = {
        str(u) for u in Round.objects.filter(anonymous=True).values_list("uuid", flat=True)
    }
    assert anonymous and Response.objects.filter(round__anonymous=True).exists()
    whole, download = io.BytesIO(), io.BytesIO()
    initiative_export(initiative=demo, out=whole)
    manifest = initiative_export(initiative=demo, out=download, withhold=True)

    written = responses(whole.getvalue())
    assert len(written) == Response.objects.filter(initiative=demo).count()
    # A response as the database holds it: no time, no respondent; a person only in a
    # round that is not anonymous; in the order of its random id.
    assert {key for row in written for key in row} == {
        "id",
        "initiative",
        "round",
        "sector",
        "is_community_member",
        "person",
        "answers",
    }
    assert all(row["person"] is None for row in written if row["round"] in anonymous)
    assert [row["id"] for row in written] == sorted(row["id"] for row in written)

    assert not [row for row in responses(download.getvalue()) if row["round"] in anonymous]
    assert "assessments.Response" in manifest["withheld"]
