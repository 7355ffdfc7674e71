"""Dimensions of disaggregation and their groups (places nest inside places): creating and
changing them, and the check of a group's key and parent (`group_problems`)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from backbone.initiatives.models import Initiative
from backbone.revisions import revise

from ..models import Dimension, Group
from .errors import SetupError, raise_first


@transaction.atomic
def dimension_create(
    *, initiative: Initiative, key: str, name: str, is_geography: bool = False
) -> Dimension:
    if Dimension.objects.filter(initiative=initiative, key=key).exists():
        raise SetupError(f"Another dimension already uses the key {key}.", "key")
    position = (
        Dimension.objects.filter(initiative=initiative).aggregate(m=Max("position"))["m"] or 0
    )
    return Dimension.objects.create(
        initiative=initiative,
        key=key,
        name=name,
        is_geography=is_geography,
        position=position + 1,
    )


@transaction.atomic
def dimension_update(
    *,
    dimension: Dimension,
    name: str,
    is_geography: bool,
    by=None,
    read_revision: int | None = None,
) -> Dimension:
    """Rename a dimension or say whether it is a geography. Its key stays: partners' files
    and the API name it. Refused (EditConflict) when it was saved since the form was read
    at `read_revision`."""
    revise(dimension, read=read_revision, by=by)
    if (
        not is_geography
        and Group.objects.filter(dimension=dimension, parent__isnull=False).exists()
    ):
        raise SetupError(
            "Some groups of this dimension sit inside others; take them out of their parent "
            "places before it stops being a geography.",
            "is_geography",
        )
    dimension.name = name
    dimension.is_geography = is_geography
    dimension.save(update_fields=["name", "is_geography"])
    return dimension


def group_problems(
    *,
    dimension: Dimension,
    key: str | None,
    parent: Group | None,
    instance: Group | None = None,
) -> dict[str, str]:
    """What is wrong with a group's key and parent, by field name."""
    problems: dict[str, str] = {}
    if key:
        taken = Group.objects.filter(dimension=dimension, key=key)
        if instance is not None and instance.pk:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            problems["key"] = f"Another group of {dimension.name} already uses the key {key}."
    if parent is not None:
        if not dimension.is_geography:
            problems["parent"] = "Only the places of a geography sit inside one another."
        elif parent.dimension_id != dimension.pk:
            problems["parent"] = "The parent must be a group of the same dimension."
        elif instance is not None and instance.pk:
            seen = set()
            node: Group | None = parent
            while node is not None and node.pk not in seen:
                if node.pk == instance.pk:
                    problems["parent"] = (
                        "A place cannot sit inside itself or one of its own places."
                    )
                    break
                seen.add(node.pk)
                node = node.parent
    return problems


@transaction.atomic
def group_create(
    *, dimension: Dimension, key: str, name: str, parent: Group | None = None
) -> Group:
    raise_first(group_problems(dimension=dimension, key=key, parent=parent))
    position = Group.objects.filter(dimension=dimension).aggregate(m=Max("position"))["m"] or 0
    return Group.objects.create(
        initiative_id=dimension.initiative_id,
        dimension=dimension,
        key=key,
        name=name,
        parent=parent,
        position=position + 1,
    )


@transaction.atomic
def group_update(
    *,
    group: Group,
    name: str,
    parent: Group | None = None,
    by=None,
    read_revision: int | None = None,
) -> Group:
    """Rename a group or move a place under another. Its key stays: files and the API name it.
    Refused (EditConflict) when it was saved since the form was read at `read_revision`."""
    revise(group, read=read_revision, by=by)
    raise_first(group_problems(dimension=group.dimension, key=None, parent=parent, instance=group))
    group.name = name
    group.parent = parent
    group.save(update_fields=["name", "parent"])
    return group
