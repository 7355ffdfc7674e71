"""The partner network survey (PRODUCT §11): waves, each partner's answer, its ratings of the
other partners and what it contributes.

A wave fixes who takes part when it is opened (the initiative's active partners then), so a
partner that pauses or joins later changes neither the wave's network nor its measures.
Every row carries its initiative, child rows included.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Level(models.IntegerChoices):
    """Level of collaboration, ordered: a tie is a rating at or above `TIE_LEVEL`."""

    NONE = 0, _("None")
    AWARENESS = 1, _("Awareness")
    COOPERATION = 2, _("Cooperation")
    COORDINATION = 3, _("Coordination")
    COLLABORATION = 4, _("Collaboration")


#: By default a rating of cooperation or more counts as a tie of the network.
TIE_LEVEL = Level.COOPERATION


class Contribution(models.TextChoices):
    FUNDING = "funding", _("Funding")
    IN_KIND = "in_kind", _("In-kind resources")
    STAFF = "staff", _("Paid staff")
    VOLUNTEERS = "volunteers", _("Volunteers")
    DATA = "data", _("Data")
    EXPERTISE = "expertise", _("Expertise")
    COMMUNITY = "community_connections", _("Community connections")
    FACILITATION = "facilitation", _("Facilitation")
    ADVOCACY = "advocacy", _("Advocacy")
    OTHER = "other", pgettext_lazy("contribution", "Other")


#: The six items of a rating: three of trust, three of value, each 1–4.
TRUST_ITEMS = ("reliable", "supports_mission", "open_to_discussion")
VALUE_ITEMS = ("power", "involvement", "resources")
SCORE_ITEMS = TRUST_ITEMS + VALUE_ITEMS
SCORE_LABELS = {
    "reliable": _("Reliable"),
    "supports_mission": _("Supports the mission"),
    "open_to_discussion": _("Open to discussion"),
    "power": _("Power and influence"),
    "involvement": _("Level of involvement"),
    "resources": _("Resources contributed"),
}


class Wave(Revised):
    """One round of the survey: open from `opens_on` to `closes_on`, both days included."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="network_waves"
    )
    name = models.CharField(max_length=120)
    opens_on = models.DateField(_("Opens"))
    closes_on = models.DateField(_("Closes"), help_text=_("The last day answers are taken."))
    partners = models.ManyToManyField(
        "initiatives.Partner", through="WavePartner", related_name="network_waves"
    )
    #: Bumped by every answer, so computed measures are filed under what they were made from.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="network_wave_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "name"], name="network_wave_name_once_per_initiative"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="network_wave_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    def status_on(self, day) -> str:
        if day < self.opens_on:
            return "upcoming"
        return "open" if day <= self.closes_on else "closed"


class WavePartner(models.Model):
    """A partner taking part in a wave: asked to answer, and rated by the others."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="participants")
    partner = models.ForeignKey("initiatives.Partner", on_delete=models.CASCADE, related_name="+")

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "wave", "partner"], name="network_partner_once_per_wave"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} in {self.wave}"


class Answer(Revised):
    """One partner's answer to one wave, given for its organisation. Answering again while
    the wave is open replaces the answer as a whole: its ratings and contributions are
    written only with it, so its revision counts the saves of all of them."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="answers")
    partner = models.ForeignKey(
        "initiatives.Partner", on_delete=models.CASCADE, related_name="network_answers"
    )
    main_contribution = models.CharField(
        _("Most important contribution"), max_length=30, choices=Contribution.choices, blank=True
    )
    other_contribution = models.CharField(
        _("Other contribution"), max_length=200, blank=True, help_text=_("When “Other” is ticked.")
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField()
    first_answered_at = models.DateTimeField()

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["wave", "partner__organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="network_answer_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "wave", "partner"], name="network_answer_once_per_wave"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} in {self.wave}"


class AnswerContribution(models.Model):
    """One kind of contribution a partner says it makes."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=30, choices=Contribution.choices)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["answer", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "answer", "kind"], name="network_contribution_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


def _score(name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(SCORE_LABELS[name], null=True, blank=True)


class Rating(models.Model):
    """How the rater sees its relationship with the rated partner. The six scores are given
    exactly when the level is above none."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="ratings")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey("initiatives.Partner", on_delete=models.CASCADE, related_name="+")
    rated = models.ForeignKey("initiatives.Partner", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("Level of collaboration"), choices=Level.choices)
    reliable = _score("reliable")
    supports_mission = _score("supports_mission")
    open_to_discussion = _score("open_to_discussion")
    power = _score("power")
    involvement = _score("involvement")
    resources = _score("resources")

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "answer", "rated"], name="network_rating_once"
            ),
            models.CheckConstraint(condition=~Q(rater=models.F("rated")), name="network_not_self"),
            models.CheckConstraint(condition=Q(level__lte=4), name="network_level_0_to_4"),
            models.CheckConstraint(
                condition=(
                    Q(level=0, **{f"{item}__isnull": True for item in SCORE_ITEMS})
                    | Q(
                        level__gt=0,
                        **{f"{item}__gte": 1 for item in SCORE_ITEMS},
                        **{f"{item}__lte": 4 for item in SCORE_ITEMS},
                    )
                ),
                name="network_scores_1_to_4_above_none",
            ),
        ]
        indexes = [models.Index(fields=["wave", "level"], name="network_rating_wave_level")]

    def __str__(self) -> str:
        return f"{self.rater_id} → {self.rated_id}: {self.get_level_display()}"
