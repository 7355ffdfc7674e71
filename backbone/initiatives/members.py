"""Changing and ending the roles people hold in an initiative: the rules the people page and
the API share, each change one transaction with its audit event.

Ending a role takes effect at once. Pages ask the memberships on every request, so they
refuse at the next click; a person left with no role in the initiative also loses their
calendar links there, and the API tokens a person made for an organisation they no longer
steward stop working. What they contributed stays attributed to them: only the membership
goes, never the person.

Who may change whom is decided by the rules "members.manage" and "members.change" in
backbone.permissions; these functions keep what holds whoever asks: a partner role names a
partner organisation, and an initiative always keeps one backbone staff member.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backbone import audit
from backbone.accounts.models import Person
from backbone.accounts.tokens import personal_tokens_revoke_all
from backbone.audit.models import Action
from backbone.communication.models import CalendarFeed
from backbone.communication.tokens import feed_revoke
from backbone.measurement.models import ApiToken
from backbone.measurement.tokens import token_revoke
from backbone.permissions import forget_standing

from .models import Initiative, Membership, Organisation, Partner
from .roles import MAY_NAME_ORGANISATION, ORGANISATION_ROLES, Role

#: In addresses and the API, the organisation of a role held for none.
NO_ORGANISATION = "-"


def membership_state(membership: Membership) -> dict:
    """A membership as the audit trail keeps it."""
    organisation = membership.organisation
    return {"role": membership.role, "organisation": organisation.slug if organisation else None}


def membership_find(
    *, initiative: Initiative, person_uuid: UUID | str, role: str, organisation: str
) -> Membership | None:
    """The role `person_uuid` holds here for the organisation of slug `organisation`
    (NO_ORGANISATION for none), or None."""
    found = Membership.objects.select_related("person", "organisation").filter(
        initiative=initiative, person__uuid=person_uuid, role=role
    )
    if organisation == NO_ORGANISATION:
        found = found.filter(organisation__isnull=True)
    else:
        found = found.filter(organisation__slug=organisation)
    try:
        return found.first()
    except ValidationError:  # not a UUID
        return None


def _keep_a_staff_member(membership: Membership, doing: str) -> None:
    """Refuse to leave the initiative without backbone staff: someone must be able to
    manage it. Other staff rows are locked until the change is written, so two people
    demoting each other at once cannot both succeed."""
    staff = set(
        Membership.objects.select_for_update()
        .filter(initiative_id=membership.initiative_id, role=Role.BACKBONE_STAFF)
        .values_list("person_id", flat=True)
    )
    if not staff - {membership.person_id}:
        raise ValidationError(_last_staff(membership, doing))


def _last_staff(membership: Membership, doing: str) -> str:
    values = {
        "name": membership.person.name or membership.person.email,
        "initiative": membership.initiative.name,
    }
    if doing == "remove them":
        return (
            _(
                "%(name)s is the last backbone staff member of %(initiative)s: make someone else "
                "backbone staff before you remove them."
            )
            % values
        )
    return (
        _(
            "%(name)s is the last backbone staff member of %(initiative)s: make someone else "
            "backbone staff before you change their role."
        )
        % values
    )


@transaction.atomic
def membership_change(
    *, membership: Membership, by: Person, role: str, organisation: Organisation | None
) -> Membership:
    """Give the person another role or organisation in place of this one. Nothing is
    written, and no event kept, when neither changes."""
    if role not in Role.values:
        raise ValidationError({"role": _("No such role: %(role)r.") % {"role": role}})
    if role in ORGANISATION_ROLES and organisation is None:
        raise ValidationError(
            {"organisation": _("Partner stewards and members act for an organisation.")}
        )
    if role not in MAY_NAME_ORGANISATION:
        organisation = None
    initiative = membership.initiative
    if (
        organisation is not None
        and not Partner.objects.filter(initiative=initiative, organisation=organisation).exists()
    ):
        raise ValidationError(
            {
                "organisation": _("%(organisation)s is not a partner here.")
                % {"organisation": organisation}
            }
        )
    organisation_id = organisation.pk if organisation else None
    if (role, organisation_id) == (membership.role, membership.organisation_id):
        return membership
    if membership.role == Role.BACKBONE_STAFF and role != Role.BACKBONE_STAFF:
        _keep_a_staff_member(membership, "change their role")
    person = membership.person
    if (
        Membership.objects.filter(
            initiative=initiative, person=person, role=role, organisation=organisation
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(
            _("%(name)s already holds that role.") % {"name": person.name or person.email}
        )
    before = membership_state(membership)
    membership.role, membership.organisation = role, organisation
    membership.save(update_fields=["role", "organisation"])
    after = membership_state(membership)
    audit.record(
        initiative=initiative,
        by=by,
        action=Action.ROLE_CHANGED if before["role"] != role else Action.ORGANISATION_CHANGED,
        person=person,
        organisation=organisation,
        before=before,
        after=after,
    )
    _withdraw_access(initiative, person, by)
    forget_standing(by)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: Person) -> None:
    """End this role of the person here. Their values, comments, meetings and everything
    else they wrote stay, attributed to them."""
    if membership.role == Role.BACKBONE_STAFF:
        _keep_a_staff_member(membership, "remove them")
    before = membership_state(membership)
    initiative, person, organisation = (
        membership.initiative,
        membership.person,
        membership.organisation,
    )
    membership.delete()
    audit.record(
        initiative=initiative,
        by=by,
        action=Action.MEMBER_REMOVED,
        person=person,
        organisation=organisation,
        before=before,
    )
    _withdraw_access(initiative, person, by)
    forget_standing(by)


def membership_remove_refusal(membership: Membership) -> str:
    """Why this role may not be removed, for the confirmation page to say before asking;
    "" when it may. (The removal checks again, under lock.)"""
    if membership.role != Role.BACKBONE_STAFF:
        return ""
    others = (
        Membership.objects.filter(initiative_id=membership.initiative_id, role=Role.BACKBONE_STAFF)
        .exclude(person_id=membership.person_id)
        .exists()
    )
    return "" if others else _last_staff(membership, "remove them")


def _withdraw_access(initiative: Initiative, person: Person, by: Person) -> None:
    """Stop what the person's former roles let them keep using: API tokens they made for an
    organisation they no longer steward here, and, once they hold no role here at all,
    their calendar links."""
    stewarded = Membership.objects.filter(
        initiative=initiative, person=person, role=Role.PARTNER_STEWARD
    ).values("organisation_id")
    tokens = (
        ApiToken.objects.filter(initiative=initiative, created_by=person, revoked_at__isnull=True)
        .exclude(partner__organisation_id__in=stewarded)
        .select_related("partner__organisation")
    )
    for token in tokens:
        token_revoke(token=token, by=by, reason="its maker no longer stewards the organisation")
    if not Membership.objects.filter(initiative=initiative, person=person).exists():
        for feed in CalendarFeed.objects.filter(
            initiative=initiative, person=person, revoked_at__isnull=True
        ):
            feed_revoke(feed=feed)
        personal_tokens_revoke_all(
            initiative=initiative, person=person, by=by, reason="they hold no role here any more"
        )
