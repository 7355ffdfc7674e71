"""Tenancy in the code's shape: every query a page or the API makes starts from a scope.

Every model that belongs to an initiative takes `InitiativeQuerySet` as its manager, so a view
writes `Partner.objects.of(initiative)` or `Partner.objects.visible_to(person)` and then
`.one(uuid=…)`; an unscoped `Partner.objects.filter(…)` in a view or an API module fails the
guard test (tests/test_tenancy.py). `.one()` answers the same 404 for a row that does not
exist, a row of another initiative and an identifier that is not one: a reader learns nothing
from the difference.
"""

from __future__ import annotations

from typing import Any, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404


class ScopedQuerySet(models.QuerySet):
    """`.one()`: the single row a lookup names, or 404 whatever the reason it is not there."""

    def one(self, **lookup: Any):
        try:
            return self.get(**lookup)
        except (self.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
            raise Http404(f"No such {self.model._meta.verbose_name}.") from exc


class InitiativeQuerySet(ScopedQuerySet):
    """The rows of one initiative, or of the initiatives a person may see."""

    def of(self, initiative: Any) -> Self:
        return self.filter(initiative=initiative)

    def visible_to(self, person: Any) -> Self:
        """Rows of the initiatives `person` may view: the public ones and their own. Finer
        rules (a funder's own grants, a partner's own values) narrow this in selectors."""
        from backbone.permissions import viewable_initiatives

        return self.filter(initiative__in=viewable_initiatives(person))


class InitiativesQuerySet(ScopedQuerySet):
    """Initiatives themselves: `visible_to(person)` is the rule initiative.view as a query."""

    def visible_to(self, person: Any) -> Self:
        from backbone.permissions import viewable_initiatives

        return self.filter(pk__in=viewable_initiatives(person).values("pk"))
