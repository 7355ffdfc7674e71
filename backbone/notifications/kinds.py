"""What a person can be told of, and how each kind reaches them unless they choose otherwise."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

# The labels are marked for the catalogues and kept in English here (the pages and tests
# read them as they are); an e-mail translates them with `label_in_language`.


class Kind(models.TextChoices):
    PROPOSAL_OPEN = "proposal_open", _("A proposal opens for my vote")
    PROPOSAL_CLOSING = "proposal_closing", _("A proposal I have not voted on closes within a day")
    SUBMISSION_RETURNED = "submission_returned", _("A report I submitted is returned")
    SUBMISSION_APPROVED = "submission_approved", _("A report I submitted is approved")
    AGENDA_TO_ENDORSE = "agenda_to_endorse", _("A new agenda version awaits my organisation")
    ACTION_ASSIGNED = "action_assigned", _("An action item is assigned to me")
    ACTION_OVERDUE = "action_overdue", _("An action item of mine is overdue")
    COMMENT_REPLY = "comment_reply", _("Someone comments after me on an update")
    REPORT_REMINDER = "report_reminder", _("My organisation's reports are due or late")
    SURVEY_REMINDER = "survey_reminder", _("A survey waits for my answer")


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("E-mail me at once")
    DIGEST = "digest", _("In my digest")
    NEVER = "never", _("Only in the app")


#: Kinds the digest already reports in its own sections (comments, action items): "in the
#: digest" means there, so its "For you" part does not list them twice.
IN_DIGEST_SECTIONS = frozenset({Kind.COMMENT_REPLY, Kind.ACTION_ASSIGNED, Kind.ACTION_OVERDUE})

#: Until a person chooses: what asks them to act soon comes at once, the rest in the digest.
DEFAULT_DELIVERY = {
    Kind.PROPOSAL_OPEN: Delivery.IMMEDIATELY,
    Kind.PROPOSAL_CLOSING: Delivery.IMMEDIATELY,
    Kind.SUBMISSION_RETURNED: Delivery.IMMEDIATELY,
    Kind.SUBMISSION_APPROVED: Delivery.IMMEDIATELY,
    Kind.AGENDA_TO_ENDORSE: Delivery.IMMEDIATELY,
    Kind.ACTION_ASSIGNED: Delivery.IMMEDIATELY,
    Kind.ACTION_OVERDUE: Delivery.DIGEST,
    Kind.COMMENT_REPLY: Delivery.DIGEST,
    Kind.REPORT_REMINDER: Delivery.IMMEDIATELY,
    Kind.SURVEY_REMINDER: Delivery.IMMEDIATELY,
}

#: Reminders are e-mails of their own, sent by their own schedule: they come or they do not.
REMINDERS = frozenset({Kind.REPORT_REMINDER, Kind.SURVEY_REMINDER})


def choices_for(kind: str) -> list[tuple[str, str]]:
    if kind in REMINDERS:
        return [(Delivery.IMMEDIATELY, _("E-mail me")), (Delivery.NEVER, _("Never"))]
    return list(Delivery.choices)


def label_in_language(kind: str) -> str:
    """The label of `kind` in the active language."""
    return gettext(Kind(kind).label)
