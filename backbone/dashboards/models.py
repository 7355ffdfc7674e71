"""The story behind the curve: what partners and the backbone say about an indicator's trend,
period by period, in the four questions of turn-the-curve thinking."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Story(Revised):
    """One partner's (or the backbone's) account of one indicator in one period."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE)
    indicator = models.ForeignKey(
        "measurement.Indicator", on_delete=models.CASCADE, related_name="stories"
    )
    period = models.ForeignKey("measurement.Period", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(
        "initiatives.Partner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the backbone's own account."),
    )
    behind_the_curve = models.TextField(
        _("What is behind the curve"), blank=True, help_text=_("The causes and forces at work.")
    )
    partners_with_a_role = models.TextField(
        _("Partners with a role to play"),
        blank=True,
        help_text=_("Who could help turn the curve."),
    )
    what_works = models.TextField(
        _("What works"),
        blank=True,
        help_text=_("What the evidence and experience say would help."),
    )
    action_plan = models.TextField(
        _("Action plan"), blank=True, help_text=_("What we will do, who, and by when.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-period__start", "partner_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "indicator", "period", "partner"],
                name="story_once_per_partner",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"Story of {self.indicator} in {self.period}"
