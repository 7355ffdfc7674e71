"""Structured decisions (PRODUCT §7): a proposal put to a working group or to all partners,
decided by consent, consensus, a gradient of agreement or a poll, with one vote per person or
per partner organisation, and an outcome with an owner and a date to review it.

Every table carries its initiative. The current vote is one row, unique per person (or per
organisation) in the database; every cast and change is also kept in `VoteChange`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Method(models.TextChoices):
    CONSENT = "consent", _("Consent (objections)")
    CONSENSUS = "consensus", _("Consensus (agree, abstain, disagree, block)")
    GRADIENT = "gradient", _("Gradient of agreement (1 to 5)")
    POLL = "poll", _("Poll (pick one option)")


#: Each method in a word or three, for lists and sentences ("Consensus").
METHOD_NAMES = {
    Method.CONSENT: _("Consent"),
    Method.CONSENSUS: _("Consensus"),
    Method.GRADIENT: _("Gradient of agreement"),
    Method.POLL: _("Poll"),
}


class Unit(models.TextChoices):
    PERSON = "person", _("One vote per person")
    ORGANISATION = "organisation", _("One vote per partner organisation")


class Choice(models.TextChoices):
    """The answers of consent and consensus; a gradient stores a level, a poll an option."""

    NO_OBJECTION = "no_objection", _("No objection")
    OBJECTION = "objection", _("Objection")
    AGREE = "agree", pgettext_lazy("an answer to a proposal", "Agree")
    ABSTAIN = "abstain", pgettext_lazy("an answer to a proposal", "Abstain")
    DISAGREE = "disagree", pgettext_lazy("an answer to a proposal", "Disagree")
    BLOCK = "block", pgettext_lazy("an answer to a proposal", "Block")


#: Which answers each method takes.
CHOICES_OF = {
    Method.CONSENT: (Choice.NO_OBJECTION, Choice.OBJECTION),
    Method.CONSENSUS: (Choice.AGREE, Choice.ABSTAIN, Choice.DISAGREE, Choice.BLOCK),
}

#: The five-point gradient of agreement, strongest first. A 1 is a veto.
GRADIENT = {
    5: _("Wholehearted endorsement"),
    4: _("Agreement with minor reservations"),
    3: _("I can live with it"),
    2: _("Serious disagreement, but I will not block it"),
    1: _("Veto: I block it"),
}


class Result(models.TextChoices):
    ADOPTED = "adopted", pgettext_lazy("proposal", "Adopted")
    NOT_ADOPTED = "not_adopted", pgettext_lazy("proposal", "Not adopted")
    BLOCKED = "blocked", pgettext_lazy("proposal", "Blocked")
    CHOSEN = "chosen", _("Option chosen")
    TIE = "tie", _("Tie")


class DecisionRules(Revised):
    """Which methods a body allows: the initiative's row (group empty) covers all partners and
    every group without a row of its own. With no row at all, every method is allowed."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        "communication.WorkingGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="decision_rules",
    )
    allowed_methods = models.JSONField(default=list)
    default_unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.PERSON)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("decision rules")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "group"], name="decision_rules_once_per_group"
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=models.Q(group__isnull=True),
                name="decision_rules_once_per_initiative",
            ),
        ]

    def __str__(self) -> str:
        return f"Decision rules of {self.group or 'all partners'}"

    def allows(self, method: str) -> bool:
        return method in self.allowed_methods


class Proposal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("proposal", "Open")
        CLOSED = "closed", pgettext_lazy("proposal", "Closed")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="proposals"
    )
    title = models.CharField(max_length=200)
    text = models.TextField(_("Proposal"))
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals"
    )
    group = models.ForeignKey(
        "communication.WorkingGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
        help_text=_("Empty: put to all partners."),
    )
    method = models.CharField(_("Decision method"), max_length=10, choices=Method.choices)
    unit = models.CharField(_("Voting unit"), max_length=12, choices=Unit.choices)
    opens_at = models.DateTimeField(_("Opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("Closes"))
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    meeting = models.ForeignKey(
        "communication.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    strategy = models.ForeignKey(
        "agenda.Strategy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    indicator = models.ForeignKey(
        "measurement.Indicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("indicator or result"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["closes_at", "pk"]
        indexes = [models.Index(fields=["initiative", "status", "closes_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="decisions_proposal_uuid_in_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="proposal_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def method_name(self) -> str:
        """The method in a word or three, for lists ("Consensus")."""
        return str(METHOD_NAMES[Method(self.method)])

    @property
    def per_organisation(self) -> bool:
        return self.unit == Unit.ORGANISATION

    def is_due(self, now=None) -> bool:
        """Open past its closing date: the next page load closes it."""
        return self.is_open and self.closes_at <= (now or timezone.now())

    def accepts_votes(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_open and self.opens_at <= now < self.closes_at

    @property
    def outcome(self) -> Outcome | None:
        """What was decided, once closed (None before). Read from `outcomes` as prefetched
        by the selectors; otherwise one query."""
        return next(iter(self.outcomes.all()), None)


class PollOption(models.Model):
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "proposal", "label"],
                name="poll_option_label_once_per_proposal",
            )
        ]

    def __str__(self) -> str:
        return self.label


class Vote(models.Model):
    """The current vote of one person, or of one organisation (cast by `voter` for it)."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "initiatives.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Set when the proposal takes one vote per organisation."),
    )
    choice = models.CharField(max_length=12, choices=Choice.choices, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    option = models.ForeignKey(
        PollOption, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    reason = models.TextField(blank=True)
    cast_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "proposal", "voter"],
                condition=models.Q(organisation__isnull=True),
                name="vote_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["initiative", "proposal", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="vote_once_per_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=1, level__lte=5),
                name="vote_level_on_the_gradient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation or self.voter}: {self.answer}"

    @property
    def answer(self) -> str:
        if self.level is not None:
            return f"{self.level} — {GRADIENT[self.level]}"
        if self.option_id is not None:
            return self.option.label
        return self.get_choice_display()


class VoteChange(models.Model):
    """One cast or change of a vote, as it was: the history survives every change."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="vote_changes")
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "initiatives.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    choice = models.CharField(max_length=12, choices=Choice.choices, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    option_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["initiative", "at"])]

    def __str__(self) -> str:
        return f"{self.by} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def answer(self) -> str:
        if self.level is not None:
            return f"{self.level} — {GRADIENT[self.level]}"
        return self.option_label or self.get_choice_display()


class Outcome(models.Model):
    """What was decided, frozen at close: the tally never changes afterwards."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    #: One per proposal (the constraint below): a foreign key rather than a one-to-one key,
    #: whose own unique index could not include the initiative. `Proposal.outcome` reads it.
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="outcomes")
    result = models.CharField(max_length=12, choices=Result.choices)
    tally = models.JSONField(default=dict)
    summary = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decision_outcomes"
    )
    review_on = models.DateField(
        _("Review on"),
        null=True,
        blank=True,
        help_text=_("Empty once reviewed with no next date."),
    )
    closed_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when it closed by itself on its closing date."),
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-closed_at", "-pk"]
        indexes = [
            models.Index(fields=["initiative", "closed_at"]),
            models.Index(fields=["owner", "review_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "proposal"], name="outcome_once_per_proposal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_result_display()}"

    def is_due_for_review(self, today=None) -> bool:
        return self.review_on is not None and self.review_on <= (today or timezone.localdate())


class Review(models.Model):
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="reviews")
    note = models.TextField()
    next_review_on = models.DateField(_("Next review"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.outcome_id} at {self.at:%Y-%m-%d}"
