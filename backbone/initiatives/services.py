"""Writes about initiatives, partners, memberships and invitations; each in one transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from backbone import audit
from backbone.accounts.languages import in_language_of
from backbone.accounts.models import Person
from backbone.audit.models import Action, AuditEvent
from backbone.revisions import revise
from backbone.web.links import site_url

from . import selectors
from .models import Initiative, Invitation, Membership, Organisation, Partner, hash_token
from .partner_lists import PartnerLine, name_key
from .roles import MAY_NAME_ORGANISATION, ORGANISATION_ROLES, PartnerStatus, Role, Sector


class InvitationError(Exception):
    """An invitation that cannot be used, with a reason a person can read."""


def unique_slug(model, text: str, *, max_length: int = 80) -> str:
    base = slugify(text)[: max_length - 5] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def initiative_create(*, by: Person, **fields) -> Initiative:
    """Create an initiative; the person who creates it becomes its backbone staff."""
    initiative = Initiative(**fields)
    if not initiative.slug:
        initiative.slug = unique_slug(Initiative, initiative.name)
    initiative.full_clean()
    initiative.save()
    Membership.objects.create(initiative=initiative, person=by, role=Role.BACKBONE_STAFF)
    return initiative


@transaction.atomic
def initiative_update(
    *, initiative: Initiative, by: Person, read_revision: int | None = None
) -> Initiative:
    """Save the initiative as its form changed it; refused (EditConflict) when it was saved
    since the form was read at `read_revision`."""
    revise(initiative, read=read_revision, by=by)
    initiative.save()
    return initiative


@transaction.atomic
def organisation_create(**fields) -> Organisation:
    organisation = Organisation(**fields)
    if not organisation.slug:
        organisation.slug = unique_slug(Organisation, organisation.name)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, by: Person, read_revision: int | None = None
) -> Organisation:
    """Save the organisation's profile as its form changed it; refused (EditConflict) when
    it was saved since the form was read at `read_revision`."""
    revise(organisation, read=read_revision, by=by)
    organisation.save()
    return organisation


@transaction.atomic
def partner_update(*, partner: Partner, by: Person, read_revision: int | None = None) -> Partner:
    """Save the partnership as its form changed it; refused (EditConflict) when it was saved
    since the form was read at `read_revision`."""
    revise(partner, read=read_revision, by=by)
    partner.save()
    return partner


@transaction.atomic
def partner_add(
    *,
    initiative: Initiative,
    organisation: Organisation,
    joined_on: date | None = None,
    status: str = PartnerStatus.ACTIVE,
) -> Partner:
    partner, _ = Partner.objects.get_or_create(
        initiative=initiative,
        organisation=organisation,
        defaults={"joined_on": joined_on or timezone.localdate(), "status": status},
    )
    return partner


@dataclass
class PartnersAdded:
    """What adding a list of partners did, for the backbone to read back."""

    new: list[Partner] = field(default_factory=list)  # organisations new to Backbone
    existing: list[Partner] = field(default_factory=list)  # already on Backbone, reused
    already: list[Partner] = field(default_factory=list)  # partners before; left as they were
    repeated: list[PartnerLine] = field(default_factory=list)  # named again; added once
    without_sector: list[Organisation] = field(default_factory=list)  # filed under "Other"

    @property
    def added(self) -> list[Partner]:
        return self.new + self.existing


@transaction.atomic
def partners_add_many(
    *, initiative: Initiative, by: Person, lines: list[PartnerLine], joined_on: date
) -> PartnersAdded:
    """Add each organisation of `lines` as a partner, joined on its line's date or on
    `joined_on`, all or nothing.

    Names are matched ignoring case and spacing, first against the initiative's partners
    (reported, never added twice), then against the organisations `by` may add
    (`selectors.organisations_offered`), which are reused so that one organisation keeps one
    profile. Any other name is a new organisation, filed under "Other" when its line gives no
    sector: a list of bare names is still added at once, and the backbone is told which
    sectors to set."""
    here = {
        name_key(p.organisation.name): p
        for p in Partner.objects.filter(initiative=initiative).select_related("organisation")
    }
    known: dict[str, Organisation] = {}
    for organisation in selectors.organisations_offered(by, initiative).order_by("pk"):
        known.setdefault(name_key(organisation.name), organisation)
    done = PartnersAdded()
    seen: set[str] = set()
    for line in lines:
        key = name_key(line.name)
        if key in seen:
            done.repeated.append(line)
            continue
        seen.add(key)
        if key in here:
            done.already.append(here[key])
            continue
        organisation, found = known.get(key), done.existing
        if organisation is None:
            organisation = organisation_create(name=line.name, sector=line.sector or Sector.OTHER)
            found = done.new
            if not line.sector:
                done.without_sector.append(organisation)
        found.append(
            partner_add(
                initiative=initiative,
                organisation=organisation,
                joined_on=line.joined_on or joined_on,
            )
        )
    return done


def membership_grant(
    *,
    initiative: Initiative,
    person: Person,
    role: str,
    organisation: Organisation | None = None,
) -> Membership:
    if role in ORGANISATION_ROLES and organisation is None:
        raise ValueError(f"The role {role} acts for an organisation; name one.")
    if role not in MAY_NAME_ORGANISATION:
        organisation = None
    membership, _ = Membership.objects.get_or_create(
        initiative=initiative, person=person, role=role, organisation=organisation
    )
    return membership


def _within_invitation_limit(by: Person) -> None:
    """Invitations are e-mails to people who never asked for them: one person sends so many
    an hour, whatever the initiative, so a stolen account cannot send mail without end.
    An invitation sent again counts as one more."""
    since = timezone.now() - timedelta(hours=1)
    sent = Invitation.objects.filter(invited_by=by, created_at__gte=since).count()
    sent += AuditEvent.objects.filter(
        actor=by, action=Action.INVITATION_RESENT, created_at__gte=since
    ).count()
    if sent >= settings.INVITATIONS_PER_HOUR:
        raise ValidationError(
            ngettext(
                # The English keeps "invitations" for one too (the API's clients read it).
                "You have sent %(sent)s invitations in the last hour, the most one person may; "
                "send the rest later.",
                "You have sent %(sent)s invitations in the last hour, the most one person may; "
                "send the rest later.",
                sent,
            )
            % {"sent": sent}
        )


def invitation_names_organisation(role: str) -> bool:
    """Whether an invitation to `role` names an organisation (others drop one given)."""
    return role in MAY_NAME_ORGANISATION


def invitation_organisation_problem(*, role: str, organisation: Organisation | None) -> str:
    """Why an invitation to `role` may not go out with this organisation ("" when it may)."""
    if role in ORGANISATION_ROLES and organisation is None:
        return gettext("Partner stewards and members act for an organisation.")
    return ""


@transaction.atomic
def invitation_create(
    *,
    initiative: Initiative,
    by: Person,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    name: str = "",
) -> tuple[Invitation, str]:
    """Store an invitation and e-mail its link; returns the invitation and the raw token."""
    if role in ORGANISATION_ROLES and organisation is None:
        raise ValueError("Partner stewards and members are invited for an organisation.")
    _within_invitation_limit(by)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        initiative=initiative,
        email=email.strip().lower(),
        name=name,
        role=role,
        organisation=organisation if role in MAY_NAME_ORGANISATION else None,
        token_hash=hash_token(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    _mail_invitation(invitation, token, by)
    audit.record(
        initiative=initiative,
        by=by,
        action=Action.INVITATION_SENT,
        organisation=invitation.organisation,
        subject=invitation.email,
        after=_invitation_state(invitation),
    )
    return invitation, token


def _invitation_state(invitation: Invitation) -> dict:
    organisation = invitation.organisation
    return {
        "email": invitation.email,
        "role": invitation.role,
        "organisation": organisation.slug if organisation else None,
        "expires_at": invitation.expires_at.isoformat(timespec="seconds"),
    }


def _mail_invitation(invitation: Invitation, token: str, by: Person) -> None:
    """E-mail the invitation's link, once the transaction that stores it commits."""
    initiative = invitation.initiative
    link = site_url(reverse("initiatives:invitation", args=[token]))
    decline = site_url(reverse("initiatives:invitation_decline", args=[token]))
    context = {
        "invitation": invitation,
        "link": link,
        "decline": decline,
        "by": by,
        "days": settings.INVITATION_VALID_DAYS,
    }
    # The invitation form asks no language: someone who already has an account gets it in
    # the language they chose; anyone else in the site's default language.
    invitee = Person.objects.filter(email__iexact=invitation.email).first()
    with in_language_of(invitee):
        subject = gettext("Join %(initiative)s on Backbone") % {"initiative": initiative.name}
        body = render_to_string("initiatives/invitation_email.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[invitation.email],
        # Someone without an account unsubscribes by declining: one click (RFC 8058), and
        # no more e-mail about this invitation.
        headers={
            "List-Unsubscribe": f"<{decline}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    transaction.on_commit(message.send)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: Person) -> tuple[Invitation, str]:
    """E-mail the invitation again with a new link, valid as long as a new one: the old
    link stops working. Not to someone who declined it: they asked for no more e-mail."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(
            gettext("This invitation was accepted or withdrawn; it cannot be sent again.")
        )
    if invitation.declined_at:
        raise ValidationError(
            gettext("%(email)s declined this invitation and asked for no more e-mail about it.")
            % {"email": invitation.email}
        )
    _within_invitation_limit(by)
    before = _invitation_state(invitation)
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    _mail_invitation(invitation, token, by)
    audit.record(
        initiative=invitation.initiative,
        by=by,
        action=Action.INVITATION_RESENT,
        organisation=invitation.organisation,
        subject=invitation.email,
        before={"expires_at": before["expires_at"]},
        after={"expires_at": _invitation_state(invitation)["expires_at"]},
    )
    return invitation, token


def _invitation_of(token: str) -> Invitation:
    """The invitation a link's token names, whatever became of it since."""
    try:
        return Invitation.objects.select_related("initiative", "organisation").get(
            token_hash=hash_token(token)
        )
    except Invitation.DoesNotExist as exc:
        raise InvitationError(gettext("This invitation link is not valid.")) from exc


def invitation_by_token(token: str) -> Invitation:
    """The invitation a link names, while it may still be accepted."""
    invitation = _invitation_of(token)
    if invitation.accepted_at:
        raise InvitationError(gettext("This invitation has already been accepted."))
    if invitation.revoked_at:
        raise InvitationError(gettext("This invitation was withdrawn."))
    if invitation.declined_at:
        raise InvitationError(gettext("This invitation was declined."))
    if invitation.expires_at <= timezone.now():
        raise InvitationError(gettext("This invitation has expired; ask for a new one."))
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, person: Person | None = None, name: str = "", password: str = ""
) -> Person:
    """Accept as the signed-in `person`, or create the account the invitation was sent to."""
    invitation = invitation_by_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError(gettext("This invitation has already been accepted."))
    if person is None:
        if Person.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationError(
                gettext("An account already uses this address: sign in to accept.")
            )
        person = Person.objects.create_user(
            email=invitation.email, password=password, name=name or invitation.name
        )
    membership_grant(
        initiative=invitation.initiative,
        person=person,
        role=invitation.role,
        organisation=invitation.organisation,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    state = _invitation_state(invitation)
    audit.record(
        initiative=invitation.initiative,
        by=person,
        action=Action.INVITATION_ACCEPTED,
        person=person,
        organisation=invitation.organisation,
        subject=invitation.email,
        after={"role": state["role"], "organisation": state["organisation"]},
    )
    return person


def invitation_decline(*, token: str) -> Invitation:
    """The person invited says no: the link stops working, and staff see it declined.
    Declining twice is no error (mail clients may send the one-click POST again)."""
    invitation = _invitation_of(token)
    if invitation.declined_at is None:
        if invitation.accepted_at:
            raise InvitationError(gettext("This invitation has already been accepted."))
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Person | None = None) -> None:
    """Withdraw the invitation: its link stops working. Withdrawing twice is no change."""
    now = timezone.now()
    if not Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
        revoked_at=now
    ):
        return
    invitation.revoked_at = now
    state = _invitation_state(invitation)
    audit.record(
        initiative=invitation.initiative,
        by=by,
        action=Action.INVITATION_WITHDRAWN,
        organisation=invitation.organisation,
        subject=invitation.email,
        before={"role": state["role"], "organisation": state["organisation"]},
    )
