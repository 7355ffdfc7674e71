"""The audit trail: every change to who may do what in an initiative, as it was made.

Rows are only ever added: `save()` refuses to change one, and neither a row nor a query of
them can be deleted (an initiative's own deletion still takes its events with it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.tenancy import InitiativeQuerySet


class Action(models.TextChoices):
    ROLE_CHANGED = "member.role_changed", _("Role changed")
    ORGANISATION_CHANGED = "member.organisation_changed", _("Organisation changed")
    MEMBER_REMOVED = "member.removed", _("Removed from the initiative")
    INVITATION_SENT = "invitation.sent", _("Invitation sent")
    INVITATION_RESENT = "invitation.resent", _("Invitation sent again")
    INVITATION_WITHDRAWN = "invitation.withdrawn", _("Invitation withdrawn")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
    TOKEN_CREATED = "token.created", _("API token made")
    TOKEN_REVOKED = "token.revoked", _("API token revoked")
    PERIOD_OPENED = "period.opened", _("Reporting period opened")
    PERIOD_CLOSED = "period.closed", _("Reporting period closed")
    VALUES_CORRECTED = "values.corrected", _("Values of a closed period corrected")


class AppendOnly(InitiativeQuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are never changed.")

    def delete(self):
        raise TypeError("Audit events are never deleted.")


class AuditEvent(models.Model):
    """One change: who made it (`actor`), what (`action`), to whom or what, and the state
    `before` and `after` it, as JSON."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The person whose role it is about."),
    )
    organisation = models.ForeignKey(
        "initiatives.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("What else it is about, in words: an address, a token's name, a period."),
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AppendOnly.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["initiative", "-created_at"], name="audit_event_newest"),
            models.Index(
                fields=["initiative", "action", "-created_at"], name="audit_event_by_action"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} in {self.initiative_id} at {self.created_at}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are never deleted.")
