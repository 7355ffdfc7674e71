"""Dimensions and their groups: the list, one dimension, and the geography's tree."""

import pytest

from backbone.measurement import services_setup as services
from backbone.measurement.models import Dimension, Group
from backbone.measurement.selectors import group_tree, groups_by_dimension
from tests.pages import main_of

pytestmark = pytest.mark.integration

BASE = "/i/riverton/measurement/dimensions/"


def test_dimensions_page_lists_dimensions_with_their_groups(cast, measured, as_role):
    text = as_role("community").get(BASE).content.decode()

    for name in ("Race/ethnicity", "Income", "Place", "Not low income", "North district"):
        assert name in text
    assert "Add a dimension" not in text


def test_staff_add_a_dimension(cast, measured, as_role):
    response = as_role("staff").post(
        BASE, {"key": "neighbourhood", "name": "Neighbourhood", "is_geography": "on"}
    )

    assert response["Location"] == f"{BASE}neighbourhood/"
    dimension = Dimension.objects.get(initiative=cast.initiative, key="neighbourhood")
    assert dimension.is_geography and dimension.position > measured.place.position


def test_a_dimension_key_is_unique_per_initiative(cast, measured, as_role):
    Dimension.objects.create(initiative=cast.other_initiative, key="gender", name="Gender")
    client = as_role("staff")

    taken = client.post(BASE, {"key": "race", "name": "Race again"})
    free = client.post(BASE, {"key": "gender", "name": "Gender"})

    assert "already uses the key race" in taken.context["form"].errors["key"][0]
    assert free.status_code == 302
    assert Dimension.objects.filter(name="Race again").count() == 0


def test_geography_shows_as_a_tree_in_order(cast, measured, as_role):
    services.group_create(
        dimension=measured.place,
        key="millbrook",
        name="Millbrook",
        parent=measured.place.groups.get(key="north"),
    )

    text = as_role("evaluator").get(f"{BASE}place/").content.decode()

    order = [text.index(n) for n in ("Riverton", "North district", "Millbrook", "South district")]
    assert order == sorted(order)
    assert "Change" not in main_of(text)  # not for evaluators


def test_staff_add_a_place_inside_another(cast, measured, as_role):
    north = measured.place.groups.get(key="north")

    response = as_role("staff").post(
        f"{BASE}place/",
        {
            "action": "group_add",
            "group-key": "millbrook",
            "group-name": "Millbrook",
            "group-parent": north.pk,
        },
    )

    assert response.status_code == 302
    assert Group.objects.get(key="millbrook").parent == north


def test_a_parent_must_belong_to_the_same_dimension(cast, measured, as_role):
    black = measured.race.groups.get(key="black")

    response = as_role("staff").post(
        f"{BASE}place/",
        {"action": "group_add", "group-key": "x", "group-name": "X", "group-parent": black.pk},
    )

    assert response.status_code == 200
    assert "group-parent" in response.content.decode()
    assert response.context["group_form"].errors["parent"]
    assert not Group.objects.filter(key="x").exists()


def test_a_place_cannot_sit_inside_its_own_places(cast, measured, as_role):
    city = measured.place.groups.get(key="city")
    north = measured.place.groups.get(key="north")

    response = as_role("staff").post(
        f"{BASE}place/",
        {"action": "group_edit", "group": "city", "edit-name": "Riverton", "edit-parent": north.pk},
    )

    assert "inside itself" in response.context["edit_form"].errors["parent"][0]
    city.refresh_from_db()
    assert city.parent is None


def test_a_group_key_is_unique_per_dimension(cast, measured, as_role):
    client = as_role("staff")

    taken = client.post(
        f"{BASE}race/", {"action": "group_add", "group-key": "black", "group-name": "Black"}
    )
    other_dimension = client.post(
        f"{BASE}income/", {"action": "group_add", "group-key": "black", "group-name": "?"}
    )

    assert "already uses the key black" in taken.context["group_form"].errors["key"][0]
    assert other_dimension.status_code == 302


def test_groups_of_other_dimensions_have_no_parent(cast, measured):
    with pytest.raises(services.SetupError) as exc:
        services.group_create(
            dimension=measured.race,
            key="afro-latino",
            name="Afro-Latino",
            parent=measured.race.groups.get(key="latino"),
        )

    assert exc.value.field == "parent"


def test_staff_rename_a_dimension_but_not_its_key(cast, measured, as_role):
    response = as_role("staff").post(
        f"{BASE}race/",
        {
            "action": "dimension",
            "dimension-name": "Race and ethnicity",
            "dimension-key": "ethnicity",
        },
    )

    assert response.status_code == 302
    measured.race.refresh_from_db()
    assert (measured.race.name, measured.race.key) == ("Race and ethnicity", "race")


def test_a_geography_with_nested_places_stays_one(cast, measured, as_role):
    response = as_role("staff").post(
        f"{BASE}place/", {"action": "dimension", "dimension-name": "Place"}
    )

    assert response.status_code == 200
    assert response.context["dimension_form"].errors["is_geography"]
    measured.place.refresh_from_db()
    assert measured.place.is_geography


def test_an_unknown_dimension_or_group_is_not_found(cast, measured, as_role):
    client = as_role("staff")

    assert client.get(f"{BASE}gender/").status_code == 404
    assert client.get(f"{BASE}race/?group=purple").status_code == 404


@pytest.mark.unit
def test_group_tree_puts_parents_before_children_in_order():
    def g(pk, parent=None, position=0):
        return Group(pk=pk, parent_id=parent, position=position, name=str(pk))

    groups = [g(5, 2, 1), g(1), g(2, 1, 0), g(3, 1, 1), g(4, 2, 0), g(6)]

    assert [(x.pk, depth) for x, depth in group_tree(groups)] == [
        (1, 0),
        (2, 1),
        (5, 2),
        (4, 2),
        (3, 1),
        (6, 0),
    ]


def test_groups_by_dimension_reads_the_tree_of_one_dimension(cast, measured):
    tree = groups_by_dimension(measured.place)

    assert [(grp.key, depth) for grp, depth in tree] == [("city", 0), ("north", 1), ("south", 1)]
