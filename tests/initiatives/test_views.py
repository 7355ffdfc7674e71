import pytest

from backbone.initiatives.models import Initiative, Membership, Organisation, Partner

pytestmark = pytest.mark.integration

NEW_INITIATIVE = {
    "name": "Eastgate Healthy Kids",
    "place": "Eastgate",
    "issue_area": "Child obesity",
    "start_date": "2025-09-01",
    "visibility": "members",
    "small_number_threshold": "10",
}


def test_backbone_staff_starts_an_initiative_and_becomes_its_staff(cast, as_role):
    response = as_role("staff").post("/i/new/", NEW_INITIATIVE)
    initiative = Initiative.objects.get(name="Eastgate Healthy Kids")
    assert response.status_code == 302
    assert response["Location"] == f"/i/{initiative.slug}/"
    assert Membership.objects.filter(
        initiative=initiative, person=cast.staff, role="backbone_staff"
    ).exists()


@pytest.mark.parametrize("role", ["public", "steward_a", "funder", "community"])
def test_people_without_a_backbone_role_cannot_start_an_initiative(cast, as_role, role):
    assert as_role(role).post("/i/new/", NEW_INITIATIVE).status_code == 403
    assert not Initiative.objects.filter(name="Eastgate Healthy Kids").exists()


def test_invalid_initiative_form_shows_field_errors_and_saves_nothing(cast, as_role):
    response = as_role("staff").post(
        "/i/new/", {**NEW_INITIATIVE, "name": "", "start_date": "soon"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "name" in errors and "start_date" in errors
    assert Initiative.objects.count() == 2


def test_editing_keeps_the_initiative_on_bad_input(cast, as_role):
    response = as_role("staff").post(
        "/i/riverton/edit/", {**NEW_INITIATIVE, "small_number_threshold": "-3"}
    )
    assert response.status_code == 200
    cast.initiative.refresh_from_db()
    assert cast.initiative.name == "Riverton Cradle to Career"


def test_editing_saves_the_initiative(cast, as_role):
    response = as_role("staff").post(
        "/i/riverton/edit/", {**NEW_INITIATIVE, "name": "Riverton Promise", "visibility": "public"}
    )
    assert response.status_code == 302
    cast.initiative.refresh_from_db()
    assert cast.initiative.name == "Riverton Promise"
    assert cast.initiative.is_public


def test_steward_edits_own_organisation_profile(cast, as_role):
    response = as_role("steward_a").post(
        "/i/riverton/partners/riverton-public-library/profile/",
        {
            "name": "Riverton Public Library",
            "sector": "education",
            "size": "medium",
            "website": "library.example.org",
            "profile": "Eleven branches.",
        },
    )
    assert response.status_code == 302
    cast.org_a.refresh_from_db()
    assert cast.org_a.website == "https://library.example.org"
    assert cast.org_a.profile == "Eleven branches."


def test_invalid_profile_changes_nothing(cast, as_role):
    response = as_role("steward_a").post(
        "/i/riverton/partners/riverton-public-library/profile/",
        {"name": "", "sector": "not-a-sector"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "sector"}
    cast.org_a.refresh_from_db()
    assert cast.org_a.name == "Riverton Public Library"


def test_staff_adds_an_existing_organisation_as_partner(cast, as_role):
    org = Organisation.objects.create(slug="city-hall", name="City Hall", sector="government")
    response = as_role("staff").post(
        "/i/riverton/partners/", {"organisation": org.pk, "joined_on": "2025-03-01"}
    )
    assert response.status_code == 302
    assert Partner.objects.get(initiative=cast.initiative, organisation=org).joined_on.year == 2025


def test_adding_a_partner_needs_a_name_and_sector_or_an_organisation(cast, as_role):
    response = as_role("staff").post("/i/riverton/partners/", {"joined_on": "2025-03-01"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "sector"}
    assert Partner.objects.filter(initiative=cast.initiative).count() == 2


def test_partner_of_another_initiative_is_not_found(cast, as_role):
    org = Organisation.objects.create(slug="lake-clinic", name="Lake Clinic", sector="health")
    Partner.objects.create(initiative=cast.other_initiative, organisation=org)
    assert as_role("staff").get("/i/riverton/partners/lake-clinic/").status_code == 404
    assert as_role("staff").get("/i/riverton/partners/lake-clinic/profile/").status_code == 404


def test_overview_groups_partners_by_sector(cast, as_role):
    content = as_role("funder").get("/i/riverton/").content.decode()
    assert "Education" in content and "Non-profit" in content
    assert "2 partner organisations" in content


def test_home_page_lists_roles_per_initiative(cast, as_role):
    content = as_role("steward_a").get("/").content.decode()
    assert "Partner steward for Riverton Public Library" in content
    assert "Lakeside" not in content


def test_landing_page_lists_only_public_initiatives(cast, as_role):
    cast.other_initiative.visibility = "public"
    cast.other_initiative.save()
    content = as_role("anonymous").get("/").content.decode()
    assert "Lakeside Health Collaborative" in content
    assert "Riverton Cradle to Career" not in content


def test_pages_carry_a_strict_content_security_policy(cast, as_role):
    response = as_role("staff").get("/i/riverton/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
