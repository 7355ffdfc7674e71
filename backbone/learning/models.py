"""Learning and evaluation (PRODUCT §10): the questions the initiative wants answered, the
evaluation plan that answers them stage by stage, and the learning log of what was tried,
what the data showed and what changed.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.links import Link
from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class LearningQuestion(Revised):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="learning_questions"
    )
    text = models.CharField(_("Question"), max_length=300)
    why = models.TextField(_("Why it matters"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who makes sure it gets answered."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(blank=True, help_text=_("What the initiative learnt."))
    answered_on = models.DateField(_("Answered on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="learning_learningquestion_uuid_in_initiative"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="answered")
                | (~models.Q(answer="") & models.Q(answered_on__isnull=False)),
                name="learning_question_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_answered(self) -> bool:
        return self.status == self.Status.ANSWERED


class Stage(models.TextChoices):
    EARLY = "early", _("Early years")
    MIDDLE = "middle", _("Middle years")
    LATER = "later", _("Later years")


class EvaluationType(models.TextChoices):
    DEVELOPMENTAL = "developmental", _("Developmental")
    FORMATIVE = "formative", _("Formative")
    SUMMATIVE = "summative", _("Summative")


class PlanItem(Revised):
    """One piece of the evaluation plan: what is evaluated, when in the initiative's life,
    of which type, how, by whom, and which learning questions it answers."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="evaluation_plan"
    )
    title = models.CharField(_("What is evaluated"), max_length=200)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    evaluation_type = models.CharField(
        _("Type of evaluation"), max_length=14, choices=EvaluationType.choices
    )
    questions = models.ManyToManyField(
        LearningQuestion,
        through="PlanItemQuestion",
        blank=True,
        related_name="plan_items",
        verbose_name=_("learning questions it answers"),
    )
    method = models.TextField(blank=True, help_text=_("How: interviews, surveys, data review, …"))
    evaluator = models.CharField(
        _("Who evaluates"), max_length=200, blank=True, help_text=_("A person, team or firm.")
    )
    timing = models.CharField(
        max_length=200, blank=True, help_text=_("When, in words: “each spring”, “year 3, Q2”.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "evaluation_type", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="learning_planitem_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LogEntry(Revised):
    """What was tried, what the data showed and what changed, linked to what it concerns."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="learning_log"
    )
    happened_on = models.DateField(_("Date"))
    title = models.CharField(_("In a line"), max_length=200)
    tried = models.TextField(_("What was tried"))
    data_showed = models.TextField(_("What the data showed"))
    changed = models.TextField(_("What changed"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activities = models.ManyToManyField(
        "activities.Activity",
        through="LogEntryActivity",
        blank=True,
        related_name="learning_entries",
    )
    indicators = models.ManyToManyField(
        "measurement.Indicator",
        through="LogEntryIndicator",
        blank=True,
        related_name="learning_entries",
    )
    meetings = models.ManyToManyField(
        "communication.Meeting",
        through="LogEntryMeeting",
        blank=True,
        related_name="learning_entries",
    )
    proposals = models.ManyToManyField(
        "decisions.Proposal",
        through="LogEntryProposal",
        blank=True,
        related_name="learning_entries",
        verbose_name=_("decisions"),
    )
    questions = models.ManyToManyField(
        LearningQuestion,
        through="LogEntryQuestion",
        blank=True,
        related_name="log_entries",
        verbose_name=_("learning questions"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-created_at", "-id"]
        verbose_name_plural = _("log entries")
        indexes = [models.Index(fields=["initiative", "happened_on"], name="learning_log_by_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="learning_logentry_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


# The link tables of the many-to-many fields above, each with the initiative key
# (backbone.links). Their tables and columns are those Django made before they had one.


class PlanItemQuestion(Link):
    planitem = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="+")
    learningquestion = models.ForeignKey(
        LearningQuestion, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "learning_planitem_questions"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "planitem", "learningquestion"],
                name="learning_plan_item_question_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.planitem_id} answers {self.learningquestion_id}"


class LogEntryActivity(Link):
    logentry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "learning_logentry_activities"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "logentry", "activity"], name="learning_entry_activity_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.logentry_id} concerns {self.activity_id}"


class LogEntryIndicator(Link):
    logentry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(
        "measurement.Indicator", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "learning_logentry_indicators"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "logentry", "indicator"], name="learning_entry_indicator_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.logentry_id} concerns {self.indicator_id}"


class LogEntryMeeting(Link):
    logentry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey("communication.Meeting", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "learning_logentry_meetings"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "logentry", "meeting"], name="learning_entry_meeting_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.logentry_id} concerns {self.meeting_id}"


class LogEntryProposal(Link):
    logentry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey("decisions.Proposal", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "learning_logentry_proposals"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "logentry", "proposal"], name="learning_entry_proposal_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.logentry_id} concerns {self.proposal_id}"


class LogEntryQuestion(Link):
    logentry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="+")
    learningquestion = models.ForeignKey(
        LearningQuestion, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "learning_logentry_questions"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "logentry", "learningquestion"],
                name="learning_entry_question_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.logentry_id} concerns {self.learningquestion_id}"
