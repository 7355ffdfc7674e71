"""The power map (PRODUCT §13): stakeholders placed by influence and interest, and who holds
the seats where decisions are made.

Influence and interest are scored 1 (very low) to 5 (very high). A score of 4 or 5 is *high*;
1 to 3 is *low*, so the middle of the scale sits with the low side and only stakeholders who are
clearly strong on an axis land in a "high" quadrant. Every placement is kept (`Placement`), so
the map shows where a stakeholder stood before it moved.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from backbone.initiatives.roles import Sector
from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet

SCORE_MIN, SCORE_MAX = 1, 5
HIGH_FROM = 4  # a score of 4 or 5 is high
SCORE_LABELS = {
    1: _("Very low"),
    2: _("Low"),
    3: _("Moderate"),
    4: _("High"),
    5: _("Very high"),
}
SCORE_CHOICES = [(n, format_lazy("{} — {}", n, label)) for n, label in SCORE_LABELS.items()]


def _score(verbose: str, help_text: str):
    return models.PositiveSmallIntegerField(
        verbose,
        choices=SCORE_CHOICES,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
        help_text=help_text,
    )


class Stance(models.TextChoices):
    CHAMPION = "champion", _("Champion")
    SUPPORTER = "supporter", _("Supporter")
    NEUTRAL = "neutral", _("Neutral")
    SCEPTIC = "sceptic", _("Sceptic")
    OPPONENT = "opponent", _("Opponent")


#: A short sign per stance, so the map never tells stances apart by colour alone.
STANCE_SIGNS = {
    Stance.CHAMPION: "++",
    Stance.SUPPORTER: "+",
    Stance.NEUTRAL: "○",
    Stance.SCEPTIC: "−",
    Stance.OPPONENT: "−−",
}


class Stakeholder(Revised):
    """An organisation, group or official whose influence and interest the initiative weighs."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        GROUP = "group", _("Group")
        OFFICIAL = "official", _("Official")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="stakeholders"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    organisation = models.ForeignKey(
        "initiatives.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("When the stakeholder is one of the initiative's partners."),
    )
    sector = models.CharField(max_length=30, choices=Sector.choices, blank=True)
    influence = _score(
        _("Influence"), _("How much it can move the agenda: power, money, votes, voice.")
    )
    interest = _score(_("Interest"), _("How much the agenda matters to it."))
    stance = models.CharField(
        _("Stance toward the agenda"), max_length=10, choices=Stance.choices, default=Stance.NEUTRAL
    )
    notes = models.TextField(blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="powermap_stakeholder_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "name"], name="stakeholder_name_once_per_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(influence__gte=SCORE_MIN, influence__lte=SCORE_MAX),
                name="stakeholder_influence_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(interest__gte=SCORE_MIN, interest__lte=SCORE_MAX),
                name="stakeholder_interest_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stance_sign(self) -> str:
        return STANCE_SIGNS[self.stance]


class Placement(models.Model):
    """One placement of a stakeholder on the map; the latest is where it stands now."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="placements"
    )
    influence = models.PositiveSmallIntegerField(choices=SCORE_CHOICES)
    interest = models.PositiveSmallIntegerField(choices=SCORE_CHOICES)
    stance = models.CharField(max_length=10, choices=Stance.choices)
    note = models.CharField(_("Why it moved"), max_length=300, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField()

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.stakeholder}: influence {self.influence}, interest {self.interest}"


class Body(Revised):
    """A governance body the backbone records: a steering committee, a leadership table."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering committee")
        LEADERSHIP = "leadership", _("Leadership table")
        ADVISORY = "advisory", _("Advisory council")
        FUNDERS = "funders", _("Funders' table")
        OTHER = "other", pgettext_lazy("governance body", "Other")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="governance_bodies"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STEERING)
    decides = models.CharField(
        _("What it decides"), max_length=300, blank=True, help_text=_("In a sentence.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="powermap_body_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "name"], name="governance_body_name_once_per_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Seat(Revised):
    """A seat on a governance body, held by a person, an organisation, or a person for an
    organisation, from `since` to `until` (open: still held). The services refuse a seat
    without a holder; the holder's account may later be deleted, so the database allows it."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="governance_seats",
    )
    organisation = models.ForeignKey(
        "initiatives.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(max_length=100, blank=True, help_text=_("E.g. Chair, Member."))
    is_chair = models.BooleanField(
        _("Chairs the body"), default=False, help_text=_("Chairs or co-chairs: a lead seat.")
    )
    community_member = models.BooleanField(
        _("Held by a community member"),
        default=False,
        help_text=_(
            "A resident or person with lived experience. Set for you when the person "
            "holds the community-member role here."
        ),
    )
    since = models.DateField()
    until = models.DateField(null=True, blank=True, help_text=_("Empty while the seat is held."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["body", "-is_chair", "since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="powermap_seat_uuid_in_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="seat_until_after_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.holder}"

    @property
    def holder(self) -> str:
        person = self.person.name or self.person.email if self.person_id else ""
        org = self.organisation.name if self.organisation_id else ""
        if person and org:
            return f"{person} ({org})"
        return person or org or gettext("Former holder")

    def is_held_on(self, day) -> bool:
        return self.since <= day and (self.until is None or self.until >= day)
