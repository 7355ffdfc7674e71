"""Whether an initiative requires a person to sign in with a second factor follows their
memberships and the initiatives' rule: recomputed whenever one of these is saved or
deleted, wherever that happens (services, the admin, the demo)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from backbone.accounts.models import Person
from backbone.accounts.two_factor import GUARDED_ROLES, refresh_requirement

from .models import Initiative, Membership


@receiver([post_save, post_delete], sender=Membership)
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    refresh_requirement([instance.person])


@receiver(post_save, sender=Initiative)
def rule_changed(sender, instance: Initiative, created: bool, **kwargs) -> None:
    if created:
        return
    refresh_requirement(
        Person.objects.filter(
            memberships__initiative=instance, memberships__role__in=GUARDED_ROLES
        ).distinct()
    )
