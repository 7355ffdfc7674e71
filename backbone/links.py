"""The link tables of many-to-many fields between an initiative's rows carry its key.

Each such field names a `through` model built on `Link`, so its table can be distributed by
initiative like every other (docs/scaling.md). Django fills a link's other columns itself,
but not the initiative: every `.add()` and `.set()` passes `through_defaults=keyed(row)`,
because those bulk writes never call `save()`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from backbone.tenancy import InitiativeQuerySet


class Link(models.Model):
    """One link between two rows, at least one of them the initiative's."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        """A link never joins rows of two initiatives (a person, shared by all, may be linked
        from any)."""
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name == "initiative":
                continue
            row = getattr(self, field.name, None)
            theirs = getattr(row, "initiative_id", None)
            if theirs is not None and theirs != self.initiative_id:
                raise ValidationError(_("%(row)s belongs to another initiative.") % {"row": row})


def keyed(row: Any) -> dict[str, Any]:
    """The `through_defaults` of links made from `row`, an initiative's row."""
    return {"initiative_id": row.initiative_id}


class KeyedLinksForm:
    """Mixed into a ModelForm of an initiative's row: `save_m2m` writes each many-to-many
    field's links with the row's initiative key (ModelForm's own `.set()` gives none)."""

    def _save_m2m(self) -> None:
        data, fields, exclude = self.cleaned_data, self._meta.fields, self._meta.exclude
        for field in self.instance._meta.many_to_many:
            if field.name not in data or (fields and field.name not in fields):
                continue
            if exclude and field.name in exclude:
                continue
            links = getattr(self.instance, field.name)
            if issubclass(field.remote_field.through, Link):
                links.set(data[field.name], through_defaults=keyed(self.instance))
            else:
                links.set(data[field.name])
