"""Adding partners in bulk: matched by name to organisations the backbone may see, atomic,
with every problem named by line and column; and the single form's join date defaulting to
today."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from backbone.initiatives import services
from backbone.initiatives.models import Organisation, Partner
from backbone.initiatives.partner_lists import lines_from_text

pytestmark = pytest.mark.integration


def paste(client, text, joined_on=None, **extra):
    data = {"many-names": text, "many-joined_on": (joined_on or timezone.localdate()).isoformat()}
    return client.post("/i/riverton/partners/", data | extra, follow=True)


def test_staff_add_a_pasted_list_matching_organisations_they_may_see(cast, as_role):
    loose = services.organisation_create(name="Eastgate Clinic", sector="health")
    response = paste(
        as_role("staff"),
        "eastgate  CLINIC\nRiverton YMCA, Non-profit\nriverton public library\n"
        "Riverton YMCA\nCity Parks Department",
    )
    assert response.status_code == 200
    partners = Partner.objects.filter(initiative=cast.initiative).select_related("organisation")
    by_name = {p.organisation.name: p for p in partners}
    assert set(by_name) == {
        "Riverton Public Library",
        "Northside Food Bank",
        "Eastgate Clinic",
        "Riverton YMCA",
        "City Parks Department",
    }
    assert by_name["Eastgate Clinic"].organisation == loose  # reused, not copied
    assert Organisation.objects.filter(name__iexact="eastgate clinic").count() == 1
    assert by_name["Riverton YMCA"].organisation.sector == "nonprofit"
    assert by_name["City Parks Department"].organisation.sector == "other"
    assert by_name["Riverton YMCA"].joined_on == timezone.localdate()
    assert by_name["Riverton Public Library"].joined_on == date(2024, 1, 1)  # left as it was
    text = response.text
    assert "3 partners added (1 already on Backbone)" in text
    assert "Already partners, left as they were: Riverton Public Library." in text
    assert "Listed more than once, added once: Riverton YMCA." in text
    assert "Filed under Other until you set their sector on their profile: City Parks" in text


def test_a_line_date_wins_over_the_lists_date(cast, as_role):
    paste(
        as_role("staff"),
        "Eastgate Clinic, health, 2023-09-01\nCity Parks, government",
        date(2024, 6, 1),
    )
    joined = dict(
        Partner.objects.filter(initiative=cast.initiative).values_list(
            "organisation__name", "joined_on"
        )
    )
    assert joined["Eastgate Clinic"] == date(2023, 9, 1)
    assert joined["City Parks"] == date(2024, 6, 1)


def test_one_bad_line_adds_nothing_and_says_where(cast, as_role):
    before = (Organisation.objects.count(), Partner.objects.count())
    text = "\r\nEastgate Clinic, health\r\nRiverton YMCA, church\r\nCity Parks"
    response = paste(as_role("staff"), text)
    assert response.status_code == 200
    assert "Line 3, sector: “church” is not a sector" in response.text  # as the box shows it
    assert (Organisation.objects.count(), Partner.objects.count()) == before


def test_another_initiatives_partner_is_not_reused_by_name(cast, as_role):
    theirs = services.organisation_create(name="Lakeside Hospital", sector="health")
    services.partner_add(initiative=cast.other_initiative, organisation=theirs)
    paste(as_role("staff"), "Lakeside Hospital, health")
    ours = Partner.objects.get(initiative=cast.initiative, organisation__name="Lakeside Hospital")
    assert ours.organisation != theirs


def test_staff_upload_a_csv_file(cast, as_role):
    upload = SimpleUploadedFile(
        "partners.csv",
        b"name,sector,joined_on\nEastgate Clinic,Health,2024-03-01\nCity Parks,government,\n",
        content_type="text/csv",
    )
    response = as_role("staff").post(
        "/i/riverton/partners/",
        {"many-file": upload, "many-joined_on": "2024-06-01"},
        follow=True,
    )
    assert "2 partners added" in response.text
    joined = dict(
        Partner.objects.filter(initiative=cast.initiative).values_list(
            "organisation__name", "joined_on"
        )
    )
    assert joined["Eastgate Clinic"] == date(2024, 3, 1)
    assert joined["City Parks"] == date(2024, 6, 1)


def test_a_list_and_a_file_together_are_refused(cast, as_role):
    upload = SimpleUploadedFile("p.csv", b"name\nX\n", content_type="text/csv")
    response = paste(as_role("staff"), "City Parks", **{"many-file": upload})
    assert "Paste a list or choose a file, not both." in response.text
    assert not Organisation.objects.filter(name="City Parks").exists()


@pytest.mark.parametrize("role", ["steward_a", "evaluator", "other_staff"])
def test_only_the_backbone_adds_partners(cast, as_role, role):
    response = paste(as_role(role), "City Parks, government")
    assert response.status_code in (403, 404)
    assert not Organisation.objects.filter(name="City Parks").exists()


def test_the_service_reports_what_it_did(cast):
    added = services.partners_add_many(
        initiative=cast.initiative,
        by=cast.staff,
        lines=lines_from_text("Northside food bank\nCity Parks, government"),
        joined_on=date(2025, 1, 6),
    )
    assert [p.organisation.name for p in added.already] == ["Northside Food Bank"]
    assert [(p.organisation.name, p.joined_on) for p in added.new] == [
        ("City Parks", date(2025, 1, 6))
    ]
    assert added.existing == [] and added.without_sector == []


# --- the single form ----------------------------------------------------------------------


def test_the_single_form_offers_today_as_the_join_date(cast, as_role):
    response = as_role("staff").get("/i/riverton/partners/")
    assert f'name="joined_on" value="{timezone.localdate().isoformat()}"' in response.text


def test_the_single_form_without_a_date_joins_today(cast, as_role):
    response = as_role("staff").post(
        "/i/riverton/partners/", {"name": "City Parks", "sector": "government", "joined_on": ""}
    )
    assert response.status_code == 302
    partner = Partner.objects.get(initiative=cast.initiative, organisation__name="City Parks")
    assert partner.joined_on == timezone.localdate()
