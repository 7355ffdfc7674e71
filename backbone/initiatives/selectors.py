"""Reads that several pages need."""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import Exists, OuterRef, Q, QuerySet

from backbone.accounts.models import Person

from .models import Initiative, Membership, Organisation, Partner
from .roles import Sector


def initiatives_of(person: Person) -> QuerySet[Initiative]:
    if not person.is_authenticated:
        return Initiative.objects.none()
    return Initiative.objects.filter(memberships__person=person).distinct()


def visible_initiatives(person: Person) -> QuerySet[Initiative]:
    """Initiatives the person belongs to, and the public ones."""
    visible = Q(visibility=Initiative.Visibility.PUBLIC)
    if person.is_authenticated:
        visible |= Q(pk__in=Membership.objects.filter(person=person).values("initiative_id"))
    return Initiative.objects.filter(visible)


def public_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.filter(visibility=Initiative.Visibility.PUBLIC)


def memberships_of(person: Person) -> QuerySet[Membership]:
    return Membership.objects.filter(person=person).select_related("initiative", "organisation")


def partners_by_sector(initiative: Initiative) -> OrderedDict[str, list[Partner]]:
    """Partners grouped under their sector's label, in the order sectors are declared."""
    groups: OrderedDict[str, list[Partner]] = OrderedDict(
        (label, []) for _, label in Sector.choices
    )
    partners = Partner.objects.filter(initiative=initiative).select_related("organisation")
    for partner in partners:
        groups[partner.organisation.get_sector_display()].append(partner)
    return OrderedDict((k, v) for k, v in groups.items() if v)


def stewarded_partners(person: Person, initiative: Initiative) -> QuerySet[Partner]:
    """Partners of `initiative` for which `person` is a steward."""
    return (
        Partner.objects.filter(
            initiative=initiative,
            organisation__memberships__person=person,
            organisation__memberships__initiative=initiative,
            organisation__memberships__role="partner_steward",
        )
        .select_related("organisation")
        .distinct()
    )


def organisations_offered(person: Person, initiative: Initiative) -> QuerySet[Organisation]:
    """Organisations `person` may add to `initiative` as partners: not partners here yet, and
    either partners of no initiative or of one the person belongs to.

    An organisation that partners only with initiatives the person is not part of belongs to
    them: offering it would show their partner lists to every backbone on the platform, and
    adding it would let this backbone edit a profile it has no part in. Platform
    administrators are offered every organisation."""
    offered = Organisation.objects.exclude(
        pk__in=Partner.objects.filter(initiative=initiative).values("organisation_id")
    )
    if getattr(person, "is_superuser", False):
        return offered
    partnerships = Partner.objects.filter(organisation=OuterRef("pk"))
    mine = Membership.objects.filter(person=person).values("initiative_id")
    return offered.filter(~Exists(partnerships) | Exists(partnerships.filter(initiative__in=mine)))


def partner_organisations(initiative: Initiative) -> QuerySet[Organisation]:
    """The organisations partnering in `initiative` (organisations are shared by all)."""
    return Organisation.objects.filter(partnerships__initiative=initiative)


def partner_organisation(initiative: Initiative, slug: str) -> Organisation | None:
    return partner_organisations(initiative).filter(slug=slug).first()


def initiative_of_token(initiative_id: int) -> QuerySet[Initiative]:
    """What a token lists: the one initiative it belongs to."""
    return Initiative.objects.filter(pk=initiative_id)


def open_invitations_for(person: Person) -> list:
    """Invitations sent to the person's address, still open, in any initiative."""
    from .models import Invitation

    found = Invitation.objects.filter(
        email__iexact=person.email, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("initiative", "organisation")
    return [invitation for invitation in found if invitation.is_open]


def initiative_named(slug: str) -> Initiative | None:
    """An initiative by its slug, whoever asks: for addresses whose secret is the credential
    (a calendar link), which check it themselves."""
    return Initiative.objects.filter(slug=slug).first()


def organisations_by_id(ids) -> list[Organisation]:
    """Organisations by id, by name (organisations are shared by every initiative)."""
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))
