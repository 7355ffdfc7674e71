import pytest

pytestmark = pytest.mark.integration


def test_overview_renders_for_staff(cast, as_role):
    response = as_role("staff").get("/i/riverton/")
    assert response.status_code == 200
    assert b"Riverton Public Library" in response.content


def test_home_lists_initiatives_for_steward(cast, as_role):
    response = as_role("steward_a").get("/")
    assert b"Riverton Cradle to Career" in response.content
