"""What the measurement API's routes share: the text a path or query may hold, who is calling
and in which initiative, whose values they may read, and numbers as exact text."""

from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from pydantic import StringConstraints

from backbone.api.auth import initiative_of
from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can

from ..numbers import as_text

# What a code or short name may hold. Text reaches the database only through these, so that
# nothing (a NUL character, say) can make a query fail.
Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
PeriodCode = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9]+$", max_length=20)]
GroupSpec = Annotated[
    str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+:[-a-zA-Z0-9_]+$", max_length=130)
]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
IndicatorKind = Literal["population", "how_much", "how_well", "better_off"]
AggregationKind = Literal["sum", "rate", "weighted", "stock", "cumulative"]
PeriodKind = Literal["month", "quarter", "school_year", "year", "fiscal_year"]
Channel = Literal["web", "csv", "xlsx", "api", "dhis2", "correction"]


def who_of(request: HttpRequest):
    return request.auth.who


def viewed_initiative(
    request: HttpRequest, slug: str, rule: str = "measurement.view"
) -> Initiative:
    return initiative_of(request, slug, rule)


def decimal_text(number: Decimal | None) -> str | None:
    return as_text(Decimal(number)) if number is not None else None


def readable_partners(who, initiative: Initiative) -> list[int] | None:
    """Ids of the partners whose own values `who` may read; None for all of them."""
    if can(who, "values.view_all", initiative):
        return None
    if not can(who, "values.view_partner", initiative):
        raise PermissionDenied
    return [
        p.pk
        for p in Partner.objects.of(initiative)
        if can(who, "values.view_partner", initiative, p)
    ]


def partner_filter(initiative: Initiative, readable: list[int] | None, slug: str) -> Partner:
    partner = Partner.objects.of(initiative).filter(organisation__slug=slug).first()
    if partner is None or (readable is not None and partner.pk not in readable):
        raise Http404("No such partner.")
    return partner
