"""Initiatives, the organisations that join them as partners, and people's roles in them."""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet, InitiativesQuerySet

from .roles import OrganisationSize, PartnerStatus, Role, Sector


class Organisation(Revised):
    """An organisation may be a partner in several initiatives; it is not initiative data."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    size = models.CharField(max_length=20, choices=OrganisationSize.choices, blank=True)
    website = models.URLField(blank=True)
    profile = models.TextField(blank=True, help_text=_("What the organisation does, in its words."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Initiative(Revised):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone may see its overview and agenda")
        MEMBERS = "members", _("Members only")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    place = models.CharField(max_length=200, help_text=_("Community or region served."))
    issue_area = models.CharField(max_length=200)
    start_date = models.DateField(null=True, blank=True)
    phase = models.CharField(
        max_length=60, blank=True, help_text=_("Key of a phase in the initiative's framework.")
    )
    framework = models.ForeignKey(
        "frameworks.Framework", null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.TextField(blank=True, help_text=_("Public description."))
    logo = models.ImageField(upload_to="logos/", blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    small_number_threshold = models.PositiveSmallIntegerField(
        default=10, help_text=_("Values from fewer people than this are hidden on public pages.")
    )
    two_factor_required = models.BooleanField(
        _("Require two-factor sign-in"),
        default=False,
        help_text=_(
            "Backbone staff and data stewards must sign in with a code from an "
            "authenticator app as well as their password."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativesQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


class Partner(Revised):
    """An organisation's participation in one initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships"
    )
    joined_on = models.DateField(default=timezone.localdate)
    status = models.CharField(
        max_length=12, choices=PartnerStatus.choices, default=PartnerStatus.ACTIVE
    )
    commitment = models.TextField(
        blank=True, help_text=_("What the partner commits to change in its own work.")
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"], name="partner_once_per_initiative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.initiative}"


class Membership(models.Model):
    """One role a person holds in one initiative, for an organisation where the role needs one."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "person", "role", "organisation"],
                name="membership_unique_role",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["partner_steward", "partner_member"])
                | models.Q(organisation__isnull=False),
                name="membership_org_roles_name_org",
            ),
        ]

    def __str__(self) -> str:
        org = f" ({self.organisation})" if self.organisation_id else ""
        return f"{self.person} — {self.get_role_display()}{org} in {self.initiative}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An e-mailed invitation to take a role; only the token's hash is stored."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, db_index=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the person invited said no, from the e-mail.")
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="initiatives_invitation_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "token_hash"],
                name="initiatives_invitation_token_hash_in_initiative",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.initiative}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.declined_at is None
            and self.expires_at > timezone.now()
        )
